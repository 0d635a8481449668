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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue test 4: the implicit kernel (ADI) at dt = 10x the explicit limit stays bounded (the L2 norm
 * never grows, no value leaves the initial range) and converges: at second order under
 * refinement, and to the same steady state as ftcs.
 */
class ImplicitKernelTest {
    private static final double TEN_TIMES_LIMIT = 10 * 0.25; // r = alpha*dt/h^2 = 2.5 (ftcs needs r <= 0.25)

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dirichlet:0", "neumann", "periodic", "north=dirichlet:1,south=neumann,west=neumann,east=neumann"})
    void staysBoundedAtTenTimesTheExplicitLimit(String boundary) throws Exception {
        Path segment = dir.resolve("bounded.hgrid");
        SolverConfig config = SolverConfig.builder().kernel("adi").size(new GridSize(101, 77))
                .boundary(Boundary.parse(boundary)).initial(InitialCondition.parse("hotspot:1")).dt(TimeStep.fixed(TEN_TIMES_LIMIT))
                .threads(2).build();
        List<String> problems = new ArrayList<>();
        double[] previousNorm = {Double.POSITIVE_INFINITY};
        try (Solver solver = Solver.create(segment, config)) {
            Frame first = Grids.latest(segment);
            double lo = Math.min(0, first.header().stats().get(0).min());
            double hi = Math.max(1, first.header().stats().get(0).max());
            ProgressListener check = progress -> {
                try {
                    Frame f = Grids.latest(segment);
                    double norm = 0;
                    for (double v : f.field(0)) {
                        norm += v * v;
                        if (!(v >= lo - 1e-12 && v <= hi + 1e-12)) {
                            problems.add("step " + f.header().step() + ": value " + v + " outside [" + lo + ", " + hi + "]");
                            return;
                        }
                    }
                    // Dirichlet edges at 1 feed energy in; elsewhere the L2 norm can only decay.
                    if (!boundary.contains(":1") && norm > previousNorm[0] * (1 + 1e-12)) {
                        problems.add("step " + f.header().step() + ": L2 norm grew " + previousNorm[0] + " -> " + norm);
                    }
                    previousNorm[0] = norm;
                } catch (java.io.IOException e) {
                    problems.add(e.toString());
                }
            };
            RunResult result = solver.run(StopCondition.steps(200), new RunControl(), check);
            assertEquals(StopReason.STEPS_DONE, result.reason());
        }
        assertTrue(problems.isEmpty(), problems.size() + " problems; first: " + problems.stream().findFirst().orElse(""));
    }

    @Test
    void convergesAtSecondOrderWithStepsTenTimesTheExplicitLimit() throws Exception {
        double end = 0.05;
        var regression = new SimpleRegression();
        List<String> lines = new ArrayList<>();
        // From 32 up: at h = 1/16 a step of 10x the explicit limit covers a tenth of the decay time.
        for (int n : new int[]{32, 64, 128}) {
            double h = 1.0 / n;
            Path segment = dir.resolve("adi-" + n + ".hgrid");
            try (Solver solver = Solver.create(segment,
                    ConvergenceTest.unitSquare(n, "adi", "sine:1,1", TEN_TIMES_LIMIT * h * h).build())) {
                solver.run(StopCondition.untilTime(end));
                Frame frame = Grids.latest(segment);
                double decay = Math.exp(-2 * Math.PI * Math.PI * frame.header().time());
                double error = 0;
                for (int y = 0; y <= n; y++) {
                    for (int x = 0; x <= n; x++) {
                        double exact = decay * Math.sin(Math.PI * x * h) * Math.sin(Math.PI * y * h);
                        error = Math.max(error, Math.abs(frame.get(0, x, y) - exact));
                    }
                }
                regression.addData(Math.log(h), Math.log(error));
                lines.add(String.format("h=1/%d steps %d error %.3e", n, frame.header().step(), error));
            }
        }
        System.out.println("adi at 10x the explicit limit vs continuous sine mode: " + lines
                + String.format(" slope %.4f", regression.getSlope()));
        assertEquals(2.0, regression.getSlope(), 0.1, "convergence order");
    }

    @Test
    void reachesTheSameSteadyStateAsFtcs() throws Exception {
        String boundary = "north=dirichlet:1,south=dirichlet:0,west=neumann,east=neumann";
        double[][] steady = new double[2][];
        String[] kernels = {"ftcs", "adi"};
        for (int k = 0; k < 2; k++) {
            SolverConfig config = SolverConfig.builder().kernel(kernels[k]).size(new GridSize(41, 33))
                    .boundary(Boundary.parse(boundary)).param("heater=10,10,14,12,3").initial(InitialCondition.parse("random:1"))
                    .dt(k == 0 ? TimeStep.AUTO : TimeStep.fixed(TEN_TIMES_LIMIT)).threads(2).build();
            try (Solver solver = Solver.create(dir.resolve(kernels[k] + ".hgrid"), config)) {
                RunResult result = solver.run(StopCondition.anyOf(StopCondition.steady(1e-12), StopCondition.steps(200_000)));
                assertEquals(StopReason.STEADY_STATE, result.reason(), result.summary());
                System.out.println(kernels[k] + " steady: " + result.summary());
                steady[k] = Grids.latest(solver.path()).field(0);
            }
        }
        double diff = Grids.maxAbsDiff(steady[0], steady[1]);
        System.out.printf("ftcs vs adi steady states differ by %.2e%n", diff);
        assertTrue(diff < 1e-8, "steady states differ by " + diff);
    }
}
