package dev.heatgrid.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.heatgrid.solver.KernelCatalog;
import dev.heatgrid.solver.TilePlacement;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.ParameterSpec;
import dev.heatgrid.solver.spi.Parameters;
import dev.heatgrid.solver.spi.StabilityRule;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One step of a tile, its halo blocks filled as a neighbour's message would fill them, equals the
 * same nodes of one step of the whole grid, bit for bit: every layout, boundary, radius 1 and 2
 * (Dirichlet edge nodes aside, which the engine writes after every step).
 */
class EdgeStripsTest {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "ftcs; 2; 1; 37; 23; dirichlet:1",
            "ftcs; 1; 2; 37; 23; neumann",
            "ftcs; 2; 2; 37; 23; periodic",
            "ftcs; 3; 2; 41; 29; north=dirichlet:100,south=neumann,west=periodic,east=periodic",
            "ftcs; 2; 1; 30; 20; periodic",
            "ftcs; 1; 3; 30; 20; periodic",
            "ftcs; 4; 4; 35; 33; neumann,south=periodic,north=periodic",
            "wide; 2; 2; 37; 23; neumann",
            "wide; 3; 2; 41; 29; periodic",
            "wide; 2; 3; 29; 41; west=periodic,east=periodic,north=dirichlet:3",
            "wide; 1; 2; 29; 41; periodic",
    })
    void aTileStepEqualsTheWholeGridsStep(String kernelName, int px, int py, int nx, int ny, String boundaryText) {
        Kernel kernel = kernelName.equals("ftcs") ? KernelCatalog.installed().find("ftcs") : new WideKernel();
        int fields = kernel.fields().size();
        GridGeometry global = new GridGeometry(nx, ny, 1, 1);
        Boundary boundary = Boundary.parse(boundaryText);
        Parameters params = Parameters.defaults(kernel.parameters());
        double dt = 0.2;
        try (Arena arena = Arena.ofShared()) {
            List<MemorySegment> whole = randomFields(arena, global, fields, 7);
            List<MemorySegment> wholeNext = zeroFields(arena, global, fields);
            try (Stepper s = kernel.prepare(new KernelSetup(global, boundary, params, dt, arena))) {
                StepFrame frame = new StepFrame(global, boundary, whole, wholeNext, 0, 0);
                for (int p = 0; p < s.passes(); p++) {
                    s.step(frame, p, 0, s.sweep(p) == dev.heatgrid.solver.spi.Sweep.ROWS ? ny : nx);
                }
            }
            TileLayout layout = new TileLayout(px, py, global, boundary);
            int r = kernel.stencilRadius().orElseThrow();
            List<List<MemorySegment>> tileSources = new ArrayList<>();
            for (int rank = 0; rank < layout.tiles(); rank++) {
                tileSources.add(window(arena, whole, global, layout.placement(rank)));
            }
            for (int rank = 0; rank < layout.tiles(); rank++) {
                TilePlacement p = layout.placement(rank);
                HaloBlocks halos = new HaloBlocks(layout, rank, r, fields);
                for (int n : layout.neighbours(rank)) {
                    // What the neighbour's message carries: its nodes packed by its own HaloBlocks.
                    HaloBlocks sender = new HaloBlocks(layout, n, r, fields);
                    List<Direction> dirs = layout.directionsTo(rank, n);
                    var message = new org.agrona.concurrent.UnsafeBuffer(new byte[halos.size(dirs) * Double.BYTES]);
                    int at = 0;
                    for (Direction d : dirs) {
                        at = sender.pack(tileSources.get(n), d, message, at);
                    }
                    assertEquals(message.capacity(), at);
                    int read = 0;
                    for (Direction d : dirs) {
                        read = halos.unpack(d, message, read);
                    }
                }
                List<MemorySegment> target = zeroFields(arena, p.grid(), fields);
                boolean[] evolving = new boolean[fields];
                java.util.Arrays.fill(evolving, true);
                try (EdgeStrips strips = new EdgeStrips(p, halos, evolving)) {
                    KernelSetup setup = new KernelSetup(p.grid(), p.edges(), params, dt, arena);
                    strips.prepare(kernel, setup);
                    strips.compute(tileSources.get(rank), 0, 0);
                    try (Stepper s = kernel.prepare(setup)) {
                        StepFrame frame = new StepFrame(p.grid(), p.edges(), tileSources.get(rank), target, 0, 0);
                        for (int pass = 0; pass < s.passes(); pass++) {
                            s.step(frame, pass, 0, s.sweep(pass) == dev.heatgrid.solver.spi.Sweep.ROWS ? p.ny() : p.nx());
                        }
                    }
                    strips.fix(target, 0, p.ny());
                }
                for (int f = 0; f < fields; f++) {
                    for (int y = 0; y < p.ny(); y++) {
                        for (int x = 0; x < p.nx(); x++) {
                            if (onDirichletEdge(boundary, global, p.originX() + x, p.originY() + y)) {
                                continue; // the engine writes these after the step (ftcs leaves its columns alone)
                            }
                            double expected = wholeNext.get(f).getAtIndex(CELL,
                                    (long) (p.originY() + y) * nx + p.originX() + x);
                            double actual = target.get(f).getAtIndex(CELL, (long) y * p.nx() + x);
                            if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)) {
                                throw new AssertionError("tile " + rank + " of " + layout + " (" + boundaryText
                                        + ") field " + f + " node (" + x + ", " + y + "): " + actual + " but the whole"
                                        + " grid has " + expected);
                            }
                        }
                    }
                }
            }
        }
    }

    private static boolean onDirichletEdge(Boundary b, GridGeometry g, int x, int y) {
        return x == 0 && b.west().isDirichlet() || x == g.nx() - 1 && b.east().isDirichlet()
                || y == 0 && b.south().isDirichlet() || y == g.ny() - 1 && b.north().isDirichlet();
    }

    private static List<MemorySegment> randomFields(Arena arena, GridGeometry g, int fields, long seed) {
        var random = new SplittableRandom(seed);
        var list = zeroFields(arena, g, fields);
        for (MemorySegment m : list) {
            for (long i = 0; i < g.cells(); i++) {
                m.setAtIndex(CELL, i, random.nextDouble());
            }
        }
        return list;
    }

    private static List<MemorySegment> zeroFields(Arena arena, GridGeometry g, int fields) {
        var list = new ArrayList<MemorySegment>();
        for (int f = 0; f < fields; f++) {
            list.add(arena.allocate(g.cells() * Double.BYTES, 64));
        }
        return list;
    }

    private static List<MemorySegment> window(Arena arena, List<MemorySegment> whole, GridGeometry g, TilePlacement p) {
        var list = zeroFields(arena, p.grid(), whole.size());
        for (int f = 0; f < whole.size(); f++) {
            for (int y = 0; y < p.ny(); y++) {
                MemorySegment.copy(whole.get(f), g.rowOffset(p.originY() + y) + (long) p.originX() * Double.BYTES,
                        list.get(f), p.grid().rowOffset(y), (long) p.nx() * Double.BYTES);
            }
        }
        return list;
    }

    /**
     * A test kernel of radius 2 with corners, two fields and two passes: pass 0 writes a 9-point
     * blur of u into v's target, pass 1 adds the blur's 5-point neighbours into u. Reaches two nodes
     * in every direction, diagonals included.
     */
    static final class WideKernel implements Kernel {
        @Override
        public String name() {
            return "wide";
        }

        @Override
        public String description() {
            return "radius-2 test stencil";
        }

        @Override
        public List<dev.heatgrid.solver.spi.FieldSpec> fields() {
            return List.of(dev.heatgrid.solver.spi.FieldSpec.evolving("u", "u"),
                    dev.heatgrid.solver.spi.FieldSpec.evolving("v", "v"));
        }

        @Override
        public List<ParameterSpec> parameters() {
            return List.of();
        }

        @Override
        public StabilityRule stability() {
            return StabilityRule.unconditional("any", (g, p) -> 1);
        }

        @Override
        public OptionalInt stencilRadius() {
            return OptionalInt.of(2);
        }

        @Override
        public Stepper prepare(KernelSetup setup) {
            return new Stepper() {
                @Override
                public int passes() {
                    return 2;
                }

                @Override
                public void step(StepFrame f, int pass, int first, int end) {
                    MemorySegment u = f.source(0);
                    MemorySegment v = f.source(1);
                    for (int y = first; y < end; y++) {
                        for (int x = 0; x < f.nx(); x++) {
                            if (pass == 0) {
                                double sum = 0;
                                for (int dy = -1; dy <= 1; dy++) {
                                    for (int dx = -1; dx <= 1; dx++) {
                                        int yy = dy < 0 ? f.rowBelow(y) : dy > 0 ? f.rowAbove(y) : y;
                                        int xx = dx < 0 ? f.columnWest(x) : dx > 0 ? f.columnEast(x) : x;
                                        sum += u.get(CELL, f.offset(xx, yy));
                                    }
                                }
                                f.target(1).set(CELL, f.offset(x, y), sum / 9 + v.get(CELL, f.offset(x, y)));
                            } else {
                                MemorySegment b = f.target(1);
                                double c = b.get(CELL, f.offset(x, y));
                                double s = b.get(CELL, f.offset(x, f.rowBelow(y))) + b.get(CELL, f.offset(x, f.rowAbove(y)))
                                        + b.get(CELL, f.offset(f.columnWest(x), y)) + b.get(CELL, f.offset(f.columnEast(x), y));
                                f.target(0).set(CELL, f.offset(x, y), u.get(CELL, f.offset(x, y)) + 0.1 * (s - 4 * c));
                            }
                        }
                    }
                }
            };
        }
    }
}
