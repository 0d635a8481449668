package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.SegmentNames;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The solver against the C reference, side by side in one run so both see the same moments of load
 * (issue 13's first table): for each grid size and thread count, round by round, the C program's
 * MLUPS and a whole {@code heatgrid run} process's, as the shared reference's {@code compare.sh}
 * measures it: {@code --init hotspot} and default options otherwise, start-up removed by the
 * difference of a short and a long run (~3 s of stepping apart), (n-2)^2 interior updates per step.
 * Ratios are taken within a round, then the median over rounds is reported.
 *
 * <p>This module does not carry the command line: {@link #main} is given the class path and main
 * class of the heatgrid CLI ({@code heatgrid bench} passes its own) and starts {@code heatgrid run}
 * from them, in a JVM of its own each time, as a user would.
 */
public final class SolverVsReference {
    /** One row: an n x n grid, a thread count, and options given to {@code heatgrid run} besides the defaults. */
    public record Case(int n, int threads, int publishEvery) {
        String options() {
            return publishEvery == 1 ? "" : "--publish-every " + publishEvery;
        }
    }

    /** What one round measured for a case. */
    record Round(double cMlups, double heatgridMlups) {
        double ratio() {
            return heatgridMlups / cMlups;
        }
    }

    /** Case sets by name: smoke (128^2, 1 thread), standard (512^2, 1 and 2 threads), issue ({@link #issueCases}). */
    public static List<Case> cases(String name) {
        return switch (name) {
            case "smoke" -> List.of(new Case(128, 1, 1));
            case "standard" -> List.of(new Case(512, 1, 1), new Case(512, 2, 1));
            case "issue" -> issueCases();
            default -> throw new IllegalArgumentException("no case set '" + name + "'; use smoke, standard or issue");
        };
    }

    /** The issue's grid: four sizes, 1 and 2 threads, and the temporal-blocking moonshot. */
    public static List<Case> issueCases() {
        var cases = new ArrayList<Case>();
        for (int n : new int[]{128, 512, 2048, 4096}) {
            cases.add(new Case(n, 1, 1));
            cases.add(new Case(n, 2, 1));
        }
        cases.add(new Case(4096, 2, 8));
        return cases;
    }

    private SolverVsReference() {
    }

    /**
     * Args: {@code CASES ROUNDS CLI_CLASS_PATH CLI_MAIN}: prints the table (or why there is none: no
     * gcc) for the case set {@link #cases CASES}, starting {@code heatgrid run} as
     * {@code java -cp CLI_CLASS_PATH CLI_MAIN run ...}; progress goes to stderr.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: SolverVsReference CASES ROUNDS CLI_CLASS_PATH CLI_MAIN");
        }
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        var heatgrid = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"));
        // This JVM's HotSpot options (heatgrid bench passes on the launcher's): each run starts as `heatgrid run` would
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream().filter(a -> a.startsWith("-XX:"))
                .forEach(heatgrid::add);
        heatgrid.addAll(List.of("-cp", args[2], args[3]));
        try {
            System.out.print(run(cases(args[0]), Integer.parseInt(args[1]), heatgrid,
                    step -> System.err.println("bench: " + step)));
        } catch (IOException e) {
            System.err.println("bench: heatgrid vs C stopped: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * Runs {@code rounds} rounds of every case, launching {@code heatgrid run} as the command
     * {@code heatgrid} followed by {@code run ...}; returns the table, or why there is none.
     */
    public static String run(List<Case> cases, int rounds, List<String> heatgrid, Consumer<String> progress)
            throws IOException, InterruptedException {
        var why = new StringBuilder();
        Optional<ReferenceStencil> reference = ReferenceStencil.build(why);
        if (reference.isEmpty()) {
            return "heatgrid vs C: " + why + "\n";
        }
        MachineLoad load = MachineLoad.start();
        var measured = new ArrayList<List<Round>>();
        cases.forEach(c -> measured.add(new ArrayList<>()));
        Path dir = Files.createTempDirectory(SegmentNames.defaultDirectory(), "heatgrid-vs-c-");
        try {
            for (int round = 0; round < rounds; round++) {
                Map<Integer, Map<Integer, Double>> cByN = new java.util.HashMap<>();
                for (int i = 0; i < cases.size(); i++) {
                    Case c = cases.get(i);
                    progress.accept(String.format(Locale.ROOT, "heatgrid vs C, %d^2, %d thread(s)%s (round %d of %d)", c.n(),
                            c.threads(), c.publishEvery() == 1 ? "" : ", " + c.options(), round + 1, rounds));
                    // C once per size and round (it measures 1 and 2 threads), right before heatgrid's runs.
                    Map<Integer, Double> cMlups = cByN.containsKey(c.n()) ? cByN.get(c.n()) : reference.get().mlups(c.n());
                    cByN.put(c.n(), cMlups);
                    Double cFigure = cMlups.get(c.threads());
                    if (cFigure == null) {
                        throw new IOException("the C reference printed no figure for " + c.threads() + " thread(s)");
                    }
                    measured.get(i).add(new Round(cFigure, heatgridMlups(c, heatgrid, dir)));
                }
            }
        } finally {
            try (var paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        return table(cases, measured, rounds, load.summary());
    }

    /** Steps of the short and the long run: ~3 s of stepping apart at C speed, as compare.sh takes them. */
    static long[] steps(int n) {
        return switch (n) {
            case 128 -> new long[]{5000, 105000};
            case 256 -> new long[]{1500, 31500};
            case 512 -> new long[]{500, 8500};
            case 1024 -> new long[]{100, 2100};
            case 2048 -> new long[]{20, 420};
            case 4096 -> new long[]{5, 105};
            default -> new long[]{10, 210};
        };
    }

    /**
     * Publication intervals a fused (temporally blocked) case's short run takes at least, its long run
     * four times that: at 4096^2 with two threads and intervals of 8, a run's first 632 steps
     * averaged 1,753 MLUPS and its next 744 steps 2,475, so 40 and 840 steps left compilation inside
     * the difference (docs/BENCHMARKS.md, "What the second worker is doing").
     */
    private static final long SETTLED_INTERVALS = 75;

    private static double heatgridMlups(Case c, List<String> heatgrid, Path dir) throws IOException, InterruptedException {
        long[] steps = steps(c.n());
        if (c.publishEvery() > 1) { // whole intervals, at least as many updates as the plain rows make
            steps = new long[]{Math.max(steps[0], SETTLED_INTERVALS) * c.publishEvery(),
                    Math.max(steps[1], 4 * SETTLED_INTERVALS) * c.publishEvery()};
        }
        double shortRun = wholeRunSeconds(c, steps[0], heatgrid, dir);
        double longRun = wholeRunSeconds(c, steps[1], heatgrid, dir);
        return (steps[1] - steps[0]) * (double) (c.n() - 2) * (c.n() - 2) / (longRun - shortRun) / 1e6;
    }

    private static double wholeRunSeconds(Case c, long steps, List<String> heatgrid, Path dir)
            throws IOException, InterruptedException {
        Path segment = dir.resolve("vs-c.hgrid");
        var command = new ArrayList<>(heatgrid);
        command.addAll(List.of("run", segment.toString(),
                "--size", c.n() + "x" + c.n(), "--init", "hotspot", "--threads", Integer.toString(c.threads()),
                "--steps", Long.toString(steps), "--quiet"));
        if (c.publishEvery() > 1) {
            command.addAll(List.of("--publish-every", Integer.toString(c.publishEvery())));
        }
        long start = System.nanoTime();
        Process run = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!run.waitFor(10, TimeUnit.MINUTES) || run.exitValue() != 0) {
            run.destroyForcibly();
            throw new IOException("heatgrid run failed: " + String.join(" ", command));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.deleteIfExists(segment);
        return seconds;
    }

    private static String table(List<Case> cases, List<List<Round>> measured, int rounds, String machine) {
        var text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "heatgrid vs C, same run: medians of %d round(s); %s%n", rounds, machine));
        text.append(String.format(Locale.ROOT, "%6s %8s %-20s %10s %15s %7s  %s%n", "n", "threads", "heatgrid options",
                "C MLUPS", "heatgrid MLUPS", "ratio", "ratios of the rounds"));
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            List<Round> r = measured.get(i);
            String each = String.join(" ", r.stream().map(x -> String.format(Locale.ROOT, "%.2f", x.ratio())).toList());
            text.append(String.format(Locale.ROOT, "%6d %8d %-20s %10.0f %15.0f %7.2f  %s%n", c.n(), c.threads(), c.options(),
                    Medians.of(r, Round::cMlups), Medians.of(r, Round::heatgridMlups), Medians.of(r, Round::ratio), each));
        }
        return text.toString();
    }
}
