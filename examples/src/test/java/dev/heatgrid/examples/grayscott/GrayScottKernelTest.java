package dev.heatgrid.examples.grayscott;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import dev.heatgrid.solver.spi.FieldSpec;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.ParameterSpec;
import dev.heatgrid.solver.spi.Parameters;
import dev.heatgrid.solver.spi.StabilityRule;
import dev.heatgrid.solver.spi.Stepper;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
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
     * That fusing really happened shows in the rows the stepper is given: only the fused path's seam
     * pass hands one call rows on both sides of the split between the two workers' bands.
     */
    @Test
    void eightStepsFusedPerBlockEqualEightStepsOneAtATime() throws Exception {
        Path plain = dir.resolve("plain.hgrid");
        Path fused = dir.resolve("fused.hgrid");
        try (Solver solver = Solver.create(plain, grayScott("hotspot").threads(1).keep(true).build())) {
            solver.run(StopCondition.steps(400));
        }
        var watched = new SeamWatchingGrayScott(SIDE / 2); // where the second of two bands of SIDE rows starts
        try (Solver solver = Solver.create(fused, grayScott("hotspot").catalog(KernelCatalog.installedWith(List.of(watched)))
                .kernel(watched.name()).publishEvery(8).keep(true).build())) {
            solver.run(StopCondition.steps(400));
        }
        assertTrue(watched.crossed.get(), "no call crossed the bands' seam: the steps were not fused");
        Frame a = Frames.latest(plain);
        Frame b = Frames.latest(fused);
        assertEquals(400, b.header().step());
        assertEquals(a.header().stats(), b.header().stats());
        for (String field : new String[]{"u", "v"}) {
            assertArrayEquals(a.field(field), b.field(field), field);
        }
    }

    /** Gray-Scott under another name, noting whether a call of its stepper covered rows on both sides of {@code seam}. */
    private static final class SeamWatchingGrayScott implements Kernel {
        final GrayScottKernel kernel = new GrayScottKernel();
        final AtomicBoolean crossed = new AtomicBoolean();
        final int seam;

        SeamWatchingGrayScott(int seam) {
            this.seam = seam;
        }

        @Override
        public String name() {
            return "gray-scott-watched";
        }

        @Override
        public String description() {
            return kernel.description();
        }

        @Override
        public List<FieldSpec> fields() {
            return kernel.fields();
        }

        @Override
        public List<ParameterSpec> parameters() {
            return kernel.parameters();
        }

        @Override
        public StabilityRule stability() {
            return kernel.stability();
        }

        @Override
        public void validate(GridGeometry grid, Boundary boundary, Parameters params) {
            kernel.validate(grid, boundary, params);
        }

        @Override
        public void initialize(GridGeometry grid, Parameters params, List<MemorySegment> fields) {
            kernel.initialize(grid, params, fields);
        }

        @Override
        public OptionalInt stencilRadius() {
            return kernel.stencilRadius();
        }

        @Override
        public Stepper prepare(KernelSetup setup) {
            Stepper stepper = kernel.prepare(setup);
            return (frame, pass, first, end) -> {
                if (first < seam && end > seam) {
                    crossed.set(true);
                }
                stepper.step(frame, pass, first, end);
            };
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
