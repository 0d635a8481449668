package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.SegmentNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The solver-with-viewers measurement alone, for experiments (e.g. the viewers' nice value with
 * {@code -Dheatgrid.bench.viewerNice=19}). Args: {@code N TIMED_STEPS ROUNDS}; warm-up is half the
 * timed steps. Prints one line per run and the medians.
 */
public final class SolverWithViewersMain {
    private SolverWithViewersMain() {
    }

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        long timed = Long.parseLong(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Path dir = Files.createTempDirectory(SegmentNames.defaultDirectory(), "heatgrid-bench-");
        MachineLoad load = MachineLoad.start();
        try {
            var runs = new SolverWithViewers(n, BenchPlan.SOLVER_THREADS, timed / 2, timed)
                    .run(BenchPlan.VIEWER_COUNTS, rounds, dir);
            runs.forEach(r -> System.out.printf(Locale.ROOT, "viewers=%d steps/s=%.2f viewer-fps=%.1f viewer-failures=%d%n",
                    r.viewers(), r.stepsPerSecond(), r.viewerFramesPerSecond(), r.viewerFailures()));
            double alone = Medians.of(runs.stream().filter(r -> r.viewers() == 0).toList(),
                    SolverWithViewers.Run::stepsPerSecond);
            for (int viewers : BenchPlan.VIEWER_COUNTS) {
                double median = Medians.of(runs.stream().filter(r -> r.viewers() == viewers).toList(),
                        SolverWithViewers.Run::stepsPerSecond);
                System.out.printf(Locale.ROOT, "median viewers=%d steps/s=%.2f ratio=%.3f (viewer nice %d, %d buffers)%n",
                        viewers, median, median / alone, SolverWithViewers.VIEWER_NICE, SolverWithViewers.BUFFERS);
            }
            System.out.println(load.summary());
        } finally {
            Files.deleteIfExists(dir);
        }
    }
}
