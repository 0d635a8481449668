package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.spi.Boundary;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue test 1: a discrete sine mode is an eigenvector of the 5-point Laplacian with zero Dirichlet
 * edges, so ftcs must multiply it by exactly 1 - 4r[sin^2(pi p/2N) + sin^2(pi q/2N)] per step.
 */
class SineModeDecayTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @ParameterizedTest(name = "mode ({0},{1}) on {2}x{2} nodes, r = {3}, {4} thread(s)")
    @CsvSource({"1,1,65,0.2,1", "3,2,65,0.25,2", "5,7,129,0.1,2", "2,3,33,0.24,1"})
    void ftcsDecaysByTheDiscreteFactor(int p, int q, int nodes, double r, int threads) throws Exception {
        int n = nodes - 1; // intervals: nodes 0 and N are the boundary
        int steps = 100;
        Path segment = dir.resolve("sine.hgrid");
        SolverConfig config = SolverConfig.builder().size(new GridSize(nodes, nodes)).kernel("ftcs")
                .dt(TimeStep.fixed(r)).boundary(Boundary.parse("dirichlet:0"))
                .initial(new InitialCondition.SineMode(p, q)).threads(threads).build();
        double[] initial;
        try (Solver solver = Solver.create(segment, config)) {
            initial = Grids.latest(segment).field(0).clone();
            RunResult result = solver.run(StopCondition.steps(steps));
            assertEquals(StopReason.STEPS_DONE, result.reason());
            assertEquals(steps, result.step());
            Frame frame = Grids.latest(segment);
            double factor = 1 - 4 * r * (Math.pow(Math.sin(Math.PI * p / (2.0 * n)), 2)
                    + Math.pow(Math.sin(Math.PI * q / (2.0 * n)), 2));
            double decay = Math.pow(factor, steps);
            double[] expected = new double[initial.length];
            for (int i = 0; i < initial.length; i++) {
                expected[i] = initial[i] * decay;
            }
            double relative = Grids.maxAbsDiff(frame.field(0), expected) / Grids.maxAbs(expected);
            System.out.printf("sine mode (%d,%d) N=%d r=%.2f: factor^100 = %.6e, relative error %.2e%n", p, q, n, r, decay,
                    relative);
            assertTrue(relative <= 1e-12, "relative error " + relative + " after " + steps + " steps");
        }
    }
}
