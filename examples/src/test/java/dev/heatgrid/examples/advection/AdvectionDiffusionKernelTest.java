package dev.heatgrid.examples.advection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.examples.Frames;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.KernelCatalog;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.TimeStep;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.Parameters;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Advection-diffusion: the declared limit is enforced, a blob drifts with the wind, periodic edges lose nothing. */
class AdvectionDiffusionKernelTest {
    private static final GridSize GRID = new GridSize(128, 96);
    private static final double VX = 1.5;
    private static final double VY = -0.75;
    /** Short enough that the blob's tails do not wrap around the periodic edges noticeably. */
    private static final double UNTIL = 10;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private static SolverConfig.Builder config() {
        return SolverConfig.builder().catalog(KernelCatalog.installed()).kernel(AdvectionDiffusionKernel.NAME)
                .size(GRID).boundary(Boundary.parse("periodic")).initial(InitialCondition.parse("gaussian"))
                .param("vx", Double.toString(VX)).param("vy", Double.toString(VY)).param("D", "0.05").threads(2)
                .keep(true);
    }

    @Test
    void dtAboveTheDeclaredLimitIsRefusedStatingTheLimit() {
        double limit = 1 / (2 * 0.05 * 2 + VX + Math.abs(VY));
        var e = assertThrows(IllegalArgumentException.class, () ->
                Solver.create(dir.resolve("unstable.hgrid"), config().dt(TimeStep.fixed(limit * 1.01)).build()));
        assertTrue(e.getMessage().contains("dt <= " + limit)
                && e.getMessage().contains("dt*(2*D*(1/dx^2 + 1/dy^2) + |vx|/dx + |vy|/dy) <= 1"), e.getMessage());
        Parameters params = Parameters.defaults(new AdvectionDiffusionKernel().parameters()).with("vx", VX)
                .with("vy", VY).with("D", 0.05);
        assertEquals(limit, new AdvectionDiffusionKernel().stability().maxStableDt(new GridGeometry(1, 1, 1, 1), params),
                1e-15);
    }

    @Test
    void aBlobDriftsWithTheWindAndPeriodicEdgesConserveIt() throws Exception {
        Path segment = dir.resolve("drift.hgrid");
        Frame start;
        try (Solver solver = Solver.create(segment, config().build())) {
            start = Frames.latest(segment);
            solver.run(StopCondition.untilTime(UNTIL));
        }
        Frame end = Frames.latest(segment);
        double time = end.header().time();
        double[] from = centreOfMass(start);
        double[] to = centreOfMass(end);
        double massBefore = Frames.sum(start.field(0));
        double massAfter = Frames.sum(end.field(0));
        System.out.printf("advection-diffusion, t = %.4f: centre of mass (%.4f, %.4f) -> (%.4f, %.4f), moved (%.4f, %.4f),"
                        + " expected (%.4f, %.4f); mass relative change %.2e%n", time, from[0], from[1], to[0], to[1],
                to[0] - from[0], to[1] - from[1], VX * time, VY * time, Math.abs(massAfter - massBefore) / massBefore);
        assertTrue(time >= UNTIL, "stopped at t = " + time);
        assertEquals(VX * time, to[0] - from[0], 0.02);
        assertEquals(VY * time, to[1] - from[1], 0.02);
        assertEquals(massBefore, massAfter, massBefore * 1e-12);
        assertTrue(Frames.min(end.field(0)) >= 0, "upwinding within the limit keeps c >= 0");
    }

    /** (sum of x c, sum of y c) / sum of c, in node units. */
    private static double[] centreOfMass(Frame frame) {
        double[] c = frame.field(0);
        double[] weightedX = new double[c.length];
        double[] weightedY = new double[c.length];
        for (int y = 0; y < frame.ny(); y++) {
            for (int x = 0; x < frame.nx(); x++) {
                int i = y * frame.nx() + x;
                weightedX[i] = x * c[i];
                weightedY[i] = y * c[i];
            }
        }
        double mass = Frames.sum(c);
        return new double[]{Frames.sum(weightedX) / mass, Frames.sum(weightedY) / mass};
    }
}
