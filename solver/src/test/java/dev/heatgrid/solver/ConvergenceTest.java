package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.spi.Boundary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue test 2: spatial convergence of ftcs. On the unit square with zero Dirichlet edges, refine
 * h = 1/N with r = alpha*dt/h^2 fixed (so dt ~ h^2 and the whole error is O(h^2)), step to a fixed
 * time, and fit log(error) against log(h) with Commons Math's SimpleRegression: slope 2 +/- 0.1.
 * Against the continuous solution of a sine mode, and against the spectral kernel (the exact
 * solution for the grid's data) for a Gaussian, which excites every mode.
 */
class ConvergenceTest {
    private static final int[] INTERVALS = {16, 32, 64, 128};
    private static final double R = 0.2;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void ftcsConvergesAtSecondOrderToTheContinuousSineMode() throws Exception {
        double end = 0.05;
        var regression = new SimpleRegression();
        List<String> lines = new ArrayList<>();
        for (int n : INTERVALS) {
            double h = 1.0 / n;
            Path segment = dir.resolve("sine-" + n + ".hgrid");
            try (Solver solver = Solver.create(segment, unitSquare(n, "ftcs", "sine:1,1", R * h * h).build())) {
                solver.run(StopCondition.untilTime(end));
                Frame frame = Grids.latest(segment);
                double t = frame.header().time();
                assertEquals(end, t, 1e-9, "stopped at the end time");
                double decay = Math.exp(-2 * Math.PI * Math.PI * t);
                double error = 0;
                for (int y = 0; y <= n; y++) {
                    for (int x = 0; x <= n; x++) {
                        double exact = decay * Math.sin(Math.PI * x * h) * Math.sin(Math.PI * y * h);
                        error = Math.max(error, Math.abs(frame.get(0, x, y) - exact));
                    }
                }
                regression.addData(Math.log(h), Math.log(error));
                lines.add(String.format("h=1/%d max error %.3e", n, error));
            }
        }
        System.out.println("ftcs vs continuous sine mode: " + lines + String.format(" slope %.4f", regression.getSlope()));
        assertEquals(2.0, regression.getSlope(), 0.1, "convergence order");
    }

    @Test
    void ftcsConvergesAtSecondOrderToTheSpectralOracleForAGaussian() throws Exception {
        double end = 0.004;
        var regression = new SimpleRegression();
        List<String> lines = new ArrayList<>();
        for (int n : INTERVALS) {
            double h = 1.0 / n;
            double[] ftcs;
            double[] exact;
            double reached;
            try (Solver solver = Solver.create(dir.resolve("f" + n + ".hgrid"), unitSquare(n, "ftcs", "gaussian", R * h * h)
                    .build())) {
                solver.run(StopCondition.untilTime(end));
                Frame frame = Grids.latest(solver.path());
                ftcs = frame.field(0);
                reached = frame.header().time(); // the first step at or past the end: compare at that time
            }
            // The oracle takes one exact step of the whole interval.
            try (Solver oracle = Solver.create(dir.resolve("s" + n + ".hgrid"), unitSquare(n, "spectral", "gaussian", reached)
                    .build())) {
                oracle.run(StopCondition.steps(1));
                exact = Grids.latest(oracle.path()).field(0);
            }
            double error = Grids.maxAbsDiff(ftcs, exact);
            regression.addData(Math.log(h), Math.log(error));
            lines.add(String.format("h=1/%d max error %.3e", n, error));
        }
        System.out.println("ftcs vs spectral, gaussian: " + lines + String.format(" slope %.4f", regression.getSlope()));
        assertEquals(2.0, regression.getSlope(), 0.1, "convergence order");
    }

    @Test
    void spectralIsExactForAnyStepSize() throws Exception {
        int n = 64;
        double t = 0.01;
        double[] oneStep;
        try (Solver s = Solver.create(dir.resolve("one.hgrid"), unitSquare(n, "spectral", "sine:3,2", t).build())) {
            s.run(StopCondition.steps(1));
            oneStep = Grids.latest(s.path()).field(0);
        }
        double[] manySteps;
        try (Solver s = Solver.create(dir.resolve("many.hgrid"), unitSquare(n, "spectral", "sine:3,2", t / 50).build())) {
            s.run(StopCondition.steps(50));
            manySteps = Grids.latest(s.path()).field(0);
        }
        double decay = Math.exp(-(9 + 4) * Math.PI * Math.PI * t);
        double error = 0;
        for (int y = 0; y <= n; y++) {
            for (int x = 0; x <= n; x++) {
                double exact = decay * Math.sin(Math.PI * 3 * x / n) * Math.sin(Math.PI * 2 * y / n);
                error = Math.max(error, Math.abs(oneStep[y * (n + 1) + x] - exact));
            }
        }
        System.out.printf("spectral: one step vs exact %.2e, 1 vs 50 steps %.2e%n", error,
                Grids.maxAbsDiff(oneStep, manySteps));
        assertTrue(error < 1e-13, "one exact step vs continuous solution: " + error);
        assertTrue(Grids.maxAbsDiff(oneStep, manySteps) < 1e-13, "exact steps compose");
    }

    static SolverConfig.Builder unitSquare(int intervals, String kernel, String init, double dt) {
        double h = 1.0 / intervals;
        return SolverConfig.builder().size(new GridSize(intervals + 1, intervals + 1)).spacing(h, h).kernel(kernel)
                .boundary(Boundary.parse("dirichlet:0")).initial(InitialCondition.parse(init)).dt(TimeStep.fixed(dt))
                .threads(2);
    }
}
