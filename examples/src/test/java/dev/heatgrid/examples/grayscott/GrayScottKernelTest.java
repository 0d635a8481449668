package dev.heatgrid.examples.grayscott;

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
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Gray-Scott in-process: the uniform state stays, a seed grows a pattern, bad set-ups are refused clearly. */
class GrayScottKernelTest {
    private static final int SIDE = 96;
    /** A v above this marks a spot (the uniform state has v = 0, the seed v = 0.25). */
    private static final double SPOT = 0.1;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private static SolverConfig.Builder grayScott(String init) {
        return SolverConfig.builder().catalog(KernelCatalog.installed()).kernel(GrayScottKernel.NAME)
                .size(new GridSize(SIDE, SIDE)).boundary(Boundary.parse("periodic"))
                .initial(InitialCondition.parse(init)).threads(2);
    }

    @Test
    void uniformStateStaysExactlyPut() throws Exception {
        Path segment = dir.resolve("uniform.hgrid");
        try (Solver solver = Solver.create(segment, grayScott("hotspot:0").keep(true).build())) {
            solver.run(StopCondition.steps(500));
        }
        Frame frame = Frames.latest(segment);
        assertEquals(500, frame.header().step());
        assertEquals(1.0, Frames.min(frame.field("u")));
        assertEquals(1.0, Frames.max(frame.field("u")));
        assertEquals(0.0, Frames.min(frame.field("v")));
        assertEquals(0.0, Frames.max(frame.field("v")));
    }

    @Test
    void seededDiscGrowsAPatternWithinZeroAndOne() throws Exception {
        Path segment = dir.resolve("spots.hgrid");
        Frame start;
        try (Solver solver = Solver.create(segment, grayScott("hotspot").keep(true).build())) {
            start = Frames.latest(segment);
            solver.run(StopCondition.steps(6000));
        }
        Frame end = Frames.latest(segment);
        double[] v = end.field("v");
        long spotsBefore = count(start.field("v"), SPOT);
        long spotsAfter = count(v, SPOT);
        System.out.printf("gray-scott %dx%d, t = %.1f: cells with v > %.1f %d -> %d, v in [%.4f, %.4f], variance %.3g;"
                        + " u in [%.4f, %.4f]%n", SIDE, SIDE, end.header().time(), SPOT, spotsBefore, spotsAfter,
                Frames.min(v), Frames.max(v), Frames.variance(v), Frames.min(end.field("u")), Frames.max(end.field("u")));
        assertTrue(spotsAfter > 3 * spotsBefore, "the seed did not spread: " + spotsBefore + " -> " + spotsAfter);
        assertTrue(spotsAfter < SIDE * SIDE / 2, "v took over the whole grid instead of forming spots: " + spotsAfter);
        assertTrue(Frames.variance(v) > 1e-3, "v is nearly uniform: variance " + Frames.variance(v));
        for (String field : new String[]{"u", "v"}) {
            assertTrue(Frames.min(end.field(field)) >= 0 && Frames.max(end.field(field)) <= 1,
                    field + " left [0, 1]: " + Frames.min(end.field(field)) + " .. " + Frames.max(end.field(field)));
        }
    }

    /**
     * The stepper declares its row radius, so with --publish-every 8 the engine fuses eight steps
     * per block of rows (temporal blocking); both fields come out bit for bit as one step at a time.
     */
    @Test
    void eightStepsFusedPerBlockEqualEightStepsOneAtATime() throws Exception {
        Path plain = dir.resolve("plain.hgrid");
        Path fused = dir.resolve("fused.hgrid");
        try (Solver solver = Solver.create(plain, grayScott("hotspot").threads(1).keep(true).build())) {
            solver.run(StopCondition.steps(400));
        }
        try (Solver solver = Solver.create(fused, grayScott("hotspot").publishEvery(8).keep(true).build())) {
            solver.run(StopCondition.steps(400));
        }
        Frame a = Frames.latest(plain);
        Frame b = Frames.latest(fused);
        assertEquals(400, b.header().step());
        assertEquals(a.header().stats(), b.header().stats());
        for (String field : new String[]{"u", "v"}) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(a.field(field), b.field(field), field);
        }
    }

    @Test
    void outOfRangeFeedIsRefusedNamingItsRange() {
        var e = assertThrows(IllegalArgumentException.class, () -> grayScott("hotspot").param("feed", "0.5").build());
        assertEquals("parameter 'feed' is 0.5; allowed a real in [0, 0.1]", e.getMessage());
    }

    @Test
    void unknownParameterIsRefusedListingTheDeclaredOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> grayScott("hotspot").param("food", "0.05").build());
        assertTrue(e.getMessage().contains("no parameter 'food'") && e.getMessage().contains("feed, kill, Du, Dv"),
                e.getMessage());
    }

    @Test
    void unstableDtIsRefusedWithTheRuleAndTheLimit() {
        var e = assertThrows(IllegalArgumentException.class, () ->
                Solver.create(dir.resolve("unstable.hgrid"), grayScott("hotspot").dt(TimeStep.fixed(1)).build()));
        double limit = 1 / (2 * 0.16 * 2 + 1 + 0.0545 + 0.062);
        assertTrue(e.getMessage().contains("dt*(2*max(Du,Dv)*(1/dx^2 + 1/dy^2) + 1 + feed + kill) <= 1")
                && e.getMessage().contains("dt <= " + limit), e.getMessage());
    }

    @Test
    void dirichletEdgesAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Solver.create(dir.resolve("edges.hgrid"),
                grayScott("hotspot").boundary(Boundary.parse("periodic,north=dirichlet:1,south=dirichlet:0")).build()));
        assertTrue(e.getMessage().contains("north edge is dirichlet:1"), e.getMessage());
    }

    private static long count(double[] cells, double above) {
        long n = 0;
        for (double c : cells) {
            if (c > above) {
                n++;
            }
        }
        return n;
    }
}
