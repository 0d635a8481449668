package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.SegmentNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code heatgrid serve} with 0, 1 and 4 headless chromium pages on a live 1024² run (docs/BENCHMARKS.md,
 * "Browsers"). Args: {@code N TIMED_STEPS ROUNDS}; warm-up is half the timed steps. Prints one line
 * per run, then medians: frames/s each page painted, server and browser CPU, and the solver's
 * throughput against the runs without browsers.
 */
public final class BrowsersOnServeMain {
    private static final int[] BROWSER_COUNTS = {0, 1, 4};

    private BrowsersOnServeMain() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long timed = Long.parseLong(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Path dir = Files.createTempDirectory(SegmentNames.defaultDirectory(), "heatgrid-bench-serve-");
        MachineLoad load = MachineLoad.start();
        try {
            List<BrowsersOnServe.Run> runs = new BrowsersOnServe(n, timed / 2, timed).run(BROWSER_COUNTS, rounds, dir);
            double alone = Medians.of(runs.stream().filter(r -> r.browsers() == 0).toList(),
                    BrowsersOnServe.Run::stepsPerSecond);
            System.out.printf(Locale.ROOT, "%d², %d timed steps, %d rounds, medians:%n", n, timed, rounds);
            for (int browsers : BROWSER_COUNTS) {
                List<BrowsersOnServe.Run> these = runs.stream().filter(r -> r.browsers() == browsers).toList();
                double steps = Medians.of(these, BrowsersOnServe.Run::stepsPerSecond);
                String painted = browsers == 0 ? "-" : String.format(Locale.ROOT, "%.1f (slowest page %.1f)",
                        Medians.of(these.stream().flatMapToDouble(r -> Arrays.stream(r.paintedPerSecond())).toArray()),
                        Medians.of(these, BrowsersOnServe.Run::minPainted));
                System.out.printf(Locale.ROOT, "browsers=%d solver=%.2f steps/s ratio=%.3f painted/page=%s frames/s"
                                + " server=%.2f cores (%.3f per page, %.1f ms CPU per frame read) browsers=%.2f cores"
                                + " dropped=%d%n", browsers, steps,
                        steps / alone, painted, Medians.of(these, BrowsersOnServe.Run::serverCores),
                        browsers == 0 ? 0 : Medians.of(these, BrowsersOnServe.Run::serverCores) / browsers,
                        browsers == 0 ? Double.NaN : Medians.of(these, BrowsersOnServe.Run::serverMillisPerFrame),
                        Medians.of(these, BrowsersOnServe.Run::browserCores),
                        these.stream().mapToLong(BrowsersOnServe.Run::framesDropped).sum());
            }
            System.out.println(load.summary());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
