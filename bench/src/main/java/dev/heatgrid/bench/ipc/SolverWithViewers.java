package dev.heatgrid.bench.ipc;

import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.RunResult;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.spi.Boundary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Issue 8, item 4: the real solver (ftcs, publishing every step) in this process, timed for a fixed
 * number of steps with 0, 1, ... {@link HeadlessViewerMain} processes attached. The viewer counts
 * alternate round by round so that all of them share the machine's moments of load. Before each
 * timed run the solver runs unmeasured while freshly started viewers compile their hot code.
 */
final class SolverWithViewers {
    /** One timed run: how many viewers were attached, the solver's steps/s, what the viewers drew. */
    record Run(int viewers, double stepsPerSecond, double mlups, double viewerFramesPerSecond) {
    }

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
        SolverConfig config = SolverConfig.builder()
                .size(new GridSize(n, n))
                .kernel("ftcs")
                .boundary(Boundary.parse("dirichlet:1"))
                .initial(InitialCondition.parse("random:42"))
                .threads(threads)
                .build();
        var runs = new ArrayList<Run>();
        try (Solver solver = Solver.create(path, config)) {
            solver.run(StopCondition.steps(warmUpSteps)); // the solver's own JIT, before any round
            for (int round = 0; round < rounds; round++) {
                for (int viewers : viewerCounts) {
                    runs.add(timed(solver, viewers, path));
                }
            }
        }
        return runs;
    }

    private Run timed(Solver solver, int viewerCount, Path path) throws IOException, InterruptedException {
        var viewers = new ArrayList<ChildJvm>();
        try {
            for (int i = 0; i < viewerCount; i++) {
                viewers.add(ChildJvm.start(HeadlessViewerMain.class, path.toString()));
            }
            for (ChildJvm viewer : viewers) {
                solver.run(StopCondition.steps(1)); // a new frame for a viewer still waiting for its first
                viewer.awaitLine("READY");
            }
            solver.run(StopCondition.steps(warmUpSteps));
            RunResult result = solver.run(StopCondition.steps(timedSteps));
            double seconds = result.elapsed().toNanos() / 1e9;
            double drawn = 0;
            for (ChildJvm viewer : viewers) {
                drawn += renderedPerSecond(viewer.finish("RENDERED"));
            }
            return new Run(viewerCount, result.stepsDone() / seconds, result.mlups(),
                    viewerCount == 0 ? 0 : drawn / viewerCount);
        } finally {
            for (ChildJvm viewer : viewers) {
                viewer.close();
            }
        }
    }

    /** Frames/s from a line {@code RENDERED frames=F seconds=S}. */
    private static double renderedPerSecond(String line) {
        String[] parts = line.split("[ =]");
        return Double.parseDouble(parts[2]) / Double.parseDouble(parts[4]);
    }
}
