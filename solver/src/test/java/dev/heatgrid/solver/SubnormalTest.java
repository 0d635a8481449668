package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Subnormals;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Heat diffusing into a region at exactly 0 would leave rows of subnormal values behind its front
 * (and halve the speed of the thread owning them). Every kernel flushes values below
 * {@link Subnormals#FLUSH_BELOW} to +0, so no frame ever holds one.
 */
class SubnormalTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ftcs", "adi"})
    void noFrameHoldsASubnormalOrTinyValue(String kernel) throws Exception {
        Path segment = dir.resolve(kernel + ".hgrid");
        SolverConfig config = SolverConfig.builder().kernel(kernel).size(new GridSize(64, 1000))
                .boundary(Boundary.parse("north=dirichlet:1,south=dirichlet:0,west=neumann,east=neumann"))
                .initial(InitialCondition.parse("hotspot:0")).threads(2).build();
        int[] tinyFrames = {0};
        long[] zeros = {0};
        try (Solver solver = Solver.create(segment, config)) {
            solver.run(StopCondition.steps(600), new RunControl(), progress -> {
                if (progress.step() % 50 != 0) {
                    return;
                }
                try {
                    Frame f = Grids.latest(segment);
                    long z = 0;
                    for (double v : f.field(0)) {
                        if (v != 0 && Math.abs(v) < Subnormals.FLUSH_BELOW) {
                            tinyFrames[0]++;
                            return;
                        }
                        z += v == 0 ? 1 : 0;
                    }
                    zeros[0] = z;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        assertEquals(0, tinyFrames[0], "frames holding values in (0, 2^-900)");
        // ftcs moves heat one row per step, so 600 steps leave 1000 - 1 - 600 rows (and the south edge)
        // untouched. More zeros than that were flushed: without the flush they would hold values down
        // to 4.9e-324. (ADI reaches every row in one step, with tails far above 2^-900 here.)
        long untouched = kernel.equals("ftcs") ? 64L * (1000 - 600) : 64;
        if (kernel.equals("ftcs")) {
            assertTrue(zeros[0] > untouched, kernel + ": " + zeros[0] + " exact zeros, " + untouched + " never reached");
        }
        System.out.println(kernel + ": after 600 steps, " + zeros[0] + " nodes are exactly 0 (" + untouched
                + " never reached, the rest flushed), none in (0, 2^-900)");
    }
}
