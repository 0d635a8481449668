package dev.heatgrid.bench.ipc;

import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.viewer.SchedulingPriority;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 8, item 4: the real solver (ftcs, publishing every step) in a process of its own
 * ({@link SolverProcessMain}), timed for a fixed number of steps with 0, 1, ...
 * {@link HeadlessViewerMain} processes attached. The viewer counts
 * alternate round by round so that all of them share the machine's moments of load. Before each
 * timed run the solver runs unmeasured while freshly started viewers compile their hot code.
 */
final class SolverWithViewers {
    /** One timed run: how many viewers were attached, the solver's steps/s, what the viewers drew. */
    record Run(int viewers, double stepsPerSecond, double mlups, double viewerFramesPerSecond, long viewerFailures) {
    }

    /**
     * The viewer's nice value, as its busy threads run in the product (10); the system property
     * {@code heatgrid.bench.viewerNice} tries others (experiments only).
     */
    static final int VIEWER_NICE = Integer.getInteger("heatgrid.bench.viewerNice", SchedulingPriority.VIEWER_NICE);

    /**
     * The solver segment's buffers: {@code heatgrid run}'s default ({@link SolverConfig#DEFAULT_BUFFERS});
     * the system property {@code heatgrid.bench.buffers} tries others (experiments only).
     */
    static final int BUFFERS = Integer.getInteger("heatgrid.bench.buffers", SolverConfig.DEFAULT_BUFFERS);

    private final int n;
    private final int threads;
    private final long warmUpSteps;
    private final long timedSteps;

    SolverWithViewers(int n, int threads, long warmUpSteps, long timedSteps) {
        this.n = n;
        this.threads = threads;
        this.warmUpSteps = warmUpSteps;
        this.timedSteps = timedSteps;
    }

    List<Run> run(int[] viewerCounts, int rounds, Path dir) throws IOException, InterruptedException {
        Path path = dir.resolve("solver.hgrid");
        var runs = new ArrayList<Run>();
        try (ChildJvm solver = ChildJvm.start(SolverProcessMain.class, path.toString(), Integer.toString(n),
                Integer.toString(threads), Long.toString(warmUpSteps), Integer.toString(BUFFERS))) {
            solver.awaitLine("READY"); // after the solver's own JIT warm-up
            for (int round = 0; round < rounds; round++) {
                for (int viewers : viewerCounts) {
                    runs.add(timed(solver, viewers, path));
                }
            }
        }
        return runs;
    }

    private Run timed(ChildJvm solver, int viewerCount, Path path) throws IOException, InterruptedException {
        var viewers = new ArrayList<ChildJvm>();
        try {
            for (int i = 0; i < viewerCount; i++) {
                viewers.add(ChildJvm.start(HeadlessViewerMain.class, path.toString(),
                        Integer.toString(VIEWER_NICE)));
            }
            for (ChildJvm viewer : viewers) {
                steps(solver, 1); // a new frame for a viewer still waiting for its first
                viewer.awaitLine("READY");
            }
            steps(solver, warmUpSteps);
            double seconds = steps(solver, timedSteps);
            double drawn = 0;
            long failures = 0;
            for (ChildJvm viewer : viewers) {
                String[] last = viewer.finish("RENDERED").split("[ =]");
                drawn += Double.parseDouble(last[2]) / Double.parseDouble(last[4]);
                failures += Long.parseLong(last[6]);
            }
            double rate = timedSteps / seconds;
            return new Run(viewerCount, rate, rate * n * n / 1e6, viewerCount == 0 ? 0 : drawn / viewerCount,
                    failures);
        } finally {
            for (ChildJvm viewer : viewers) {
                viewer.close();
            }
        }
    }

    /** Has the solver process run {@code count} steps; returns its stepping time in seconds. */
    private static double steps(ChildJvm solver, long count) throws IOException {
        solver.send("RUN " + count);
        String[] parts = solver.awaitLine("RAN").split("[ =]");
        return Double.parseDouble(parts[4]);
    }
}
