package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.SegmentNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * {@code heatgrid serve} with 0, 1 and 4 headless chromium pages on a live 1024² run (docs/BENCHMARKS.md,
 * "Browsers"). Args: {@code N TIMED_STEPS ROUNDS [--browsers 0,1,4] [--netns] [--browser-cpus LIST]
 * [--solver-cpus LIST] [--stand-ins]}; warm-up is half the timed steps. Prints one line per run, then medians:
 * frames/s each page painted, server and browser CPU, and the solver's throughput against the runs
 * without browsers.
 */
public final class BrowsersOnServeMain {
    private BrowsersOnServeMain() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long timed = Long.parseLong(args[1]);
        int rounds = Integer.parseInt(args[2]);
        int[] counts = {0, 1, 4};
        boolean netns = false;
        String browserCpus = null;
        String solverCpus = null;
        boolean standIns = false;
        for (int i = 3; i < args.length; i++) {
            switch (args[i]) {
                case "--browsers" -> counts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--netns" -> netns = true;
                case "--browser-cpus" -> browserCpus = args[++i];
                case "--solver-cpus" -> solverCpus = args[++i];
                case "--stand-ins" -> standIns = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; expected N TIMED_STEPS"
                        + " ROUNDS [--browsers 0,1,4] [--netns] [--browser-cpus LIST] [--solver-cpus LIST] [--stand-ins]");
            }
        }
        if (Arrays.stream(counts).noneMatch(c -> c == 0)) {
            throw new IllegalArgumentException("--browsers must include 0: the solver's ratio is against no browser");
        }
        var placement = new BrowsersOnServe.Placement(netns, browserCpus, solverCpus, standIns);
        Path dir = Files.createTempDirectory(SegmentNames.defaultDirectory(), "heatgrid-bench-serve-");
        MachineLoad load = MachineLoad.start();
        try {
            System.out.println(placement.describe() + "; server at "
                    + (Boolean.parseBoolean(System.getProperty("heatgrid.viewer.nice", "true")) ? "nice 10" : "nice 0"));
            List<BrowsersOnServe.Run> runs = new BrowsersOnServe(n, timed / 2, timed, placement).run(counts, rounds, dir);
            double alone = Medians.of(runs.stream().filter(r -> r.browsers() == 0).toList(),
                    BrowsersOnServe.Run::stepsPerSecond);
            System.out.printf(Locale.ROOT, "%d², %d timed steps, %d rounds, medians:%n", n, timed, rounds);
            for (int browsers : counts) {
                List<BrowsersOnServe.Run> these = runs.stream().filter(r -> r.browsers() == browsers).toList();
                double steps = Medians.of(these, BrowsersOnServe.Run::stepsPerSecond);
                if (browsers == 0) {
                    System.out.printf(Locale.ROOT, "browsers=0 solver=%.2f steps/s ratio=1.000 server=%.3f cores%n",
                            steps, Medians.of(these, BrowsersOnServe.Run::serverCores));
                    continue;
                }
                System.out.printf(Locale.ROOT, "browsers=%d solver=%.2f steps/s ratio=%.3f painted/page=%.1f (slowest"
                                + " page %.1f) frames/s; page decode %.2f ms + paint %.2f ms per frame; server=%.3f cores"
                                + " (%.3f per page) at %.1f frames read/s: %.2f ms CPU per frame read, feed thread"
                                + " %.2f ms; browsers=%.2f cores, %.1f ms per painted frame; dropped=%d%n",
                        browsers, steps, steps / alone,
                        Medians.of(these.stream().flatMapToDouble(r -> Arrays.stream(r.paintedPerSecond())).toArray()),
                        median(these, BrowsersOnServe.Run::minPainted), median(these, BrowsersOnServe.Run::decodeMillis),
                        median(these, BrowsersOnServe.Run::paintMillis), median(these, BrowsersOnServe.Run::serverCores),
                        median(these, BrowsersOnServe.Run::serverCores) / browsers,
                        median(these, BrowsersOnServe.Run::framesReadPerSecond),
                        median(these, BrowsersOnServe.Run::serverMillisPerFrame),
                        median(these, BrowsersOnServe.Run::feedMillisPerFrame),
                        median(these, BrowsersOnServe.Run::browserCores),
                        median(these, BrowsersOnServe.Run::browserMillisPerPaint),
                        these.stream().mapToLong(BrowsersOnServe.Run::framesDropped).sum());
                for (String kind : BrowsersOnServe.PROCESS_KINDS) {
                    double cores = median(these, r -> r.browserCoresByKind().getOrDefault(kind, 0.0));
                    if (cores > 0) {
                        System.out.printf(Locale.ROOT, "  browsers' %s processes: %.3f cores%n", kind, cores);
                    }
                }
            }
            System.out.println(load.summary());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static double median(List<BrowsersOnServe.Run> runs, ToDoubleFunction<BrowsersOnServe.Run> value) {
        return Medians.of(runs, value);
    }
}
