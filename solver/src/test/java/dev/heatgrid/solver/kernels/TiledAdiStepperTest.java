package dev.heatgrid.solver.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.HeldNodes;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.Parameters;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.TileLines;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The adi kernel's step on tiles (in-memory carries and halos, one thread per tile) writes every
 * node with the bits of the one-process step from the same source: every boundary type, uneven
 * tiles, held nodes crossing tile borders. Several steps, each from the one-process result.
 */
class TiledAdiStepperTest {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    @ParameterizedTest(name = "{0}x{1} on {2}x{3} tiles, {4}, held {5}")
    @CsvSource(delimiter = ';', value = {
            "37; 29; 2; 1; dirichlet:1; none",
            "37; 29; 1; 2; neumann; none",
            "37; 29; 2; 2; periodic; 10,8,22,20",
            "37; 29; 2; 2; north=dirichlet:2,south=neumann,west=periodic,east=periodic; 15,12,20,16",
            "37; 29; 3; 2; west=dirichlet:1,east=neumann,south=periodic,north=periodic; 0,5,4,28",
            "37; 29; 2; 3; periodic; 0,0,36,0",
            "20; 18; 4; 3; periodic; none",
    })
    void tilesStepLikeOneProcess(int nx, int ny, int px, int py, String boundaryText, String heldText) throws Exception {
        GridGeometry global = new GridGeometry(nx, ny, 1, 1);
        Boundary boundary = Boundary.parse(boundaryText);
        HeldNodes held = heldText.equals("none") ? HeldNodes.NONE : held(heldText);
        AdiKernel kernel = new AdiKernel();
        Parameters params = Parameters.defaults(kernel.parameters());
        double dt = 2.5; // ten times the explicit limit
        int[] xs = starts(nx, px);
        int[] ys = starts(ny, py);
        int tiles = px * py;
        int[] originX = new int[tiles];
        int[] originY = new int[tiles];
        for (int r = 0; r < tiles; r++) {
            originX[r] = xs[r % px];
            originY[r] = ys[r / px];
        }
        Random random = new Random(nx * 7919L + px * 31 + py);
        double[] source = new double[nx * ny];
        for (int i = 0; i < source.length; i++) {
            source[i] = random.nextDouble() * 10 - 3;
        }
        source[5] = -0.0;
        try (Arena arena = Arena.ofShared()) {
            Stepper whole = kernel.prepare(new KernelSetup(global, boundary, params, dt, held, arena));
            InMemoryTiles link = new InMemoryTiles(px, py, originX, originY);
            Stepper[] steppers = new Stepper[tiles];
            GridGeometry[] grids = new GridGeometry[tiles];
            for (int r = 0; r < tiles; r++) {
                int i = r % px;
                int j = r / px;
                grids[r] = new GridGeometry(xs[i + 1] - xs[i], ys[j + 1] - ys[j], 1, 1);
                // The tile's own heldNodes() is its local part, as the engine gives it; the kernel must use the global one.
                var lines = new TileLines(originX[r], originY[r], global, boundary, held, link.carries(r, ny));
                steppers[r] = kernel.prepare(new KernelSetup(grids[r], boundary, params, dt, HeldNodes.NONE, lines, arena));
            }
            for (int step = 0; step < 3; step++) {
                MemorySegment in = arena.allocate((long) source.length * Double.BYTES);
                MemorySegment out = arena.allocate((long) source.length * Double.BYTES);
                MemorySegment.copy(source, 0, in, CELL, 0, source.length);
                StepFrame frame = new StepFrame(global, boundary, List.of(in), List.of(out), step, 0);
                whole.step(frame, 0, 0, nx);
                whole.step(frame, 1, 0, ny);
                double[] expected = out.toArray(CELL);
                link.source(source, nx);
                double[][] got = new double[tiles][];
                double[] stepSource = source;
                InMemoryTiles.inParallel(tiles, r -> {
                    GridGeometry g = grids[r];
                    MemorySegment tin = arena.allocate(g.cells() * Double.BYTES);
                    MemorySegment tout = arena.allocate(g.cells() * Double.BYTES);
                    for (int y = 0; y < g.ny(); y++) {
                        MemorySegment.copy(stepSource, (originY[r] + y) * nx + originX[r], tin, CELL,
                                (long) y * g.nx() * Double.BYTES, g.nx());
                    }
                    StepFrame f = new StepFrame(g, boundary, List.of(tin), List.of(tout), 0, 0);
                    steppers[r].step(f, 0, 0, g.nx());
                    steppers[r].step(f, 1, 0, g.ny());
                    steppers[r].step(f, 2, 0, g.ny());
                    got[r] = tout.toArray(CELL);
                });
                for (int r = 0; r < tiles; r++) {
                    GridGeometry g = grids[r];
                    for (int y = 0; y < g.ny(); y++) {
                        for (int x = 0; x < g.nx(); x++) {
                            int gx = originX[r] + x;
                            int gy = originY[r] + y;
                            double e = expected[gy * nx + gx];
                            double a = got[r][y * g.nx() + x];
                            assertEquals(Double.doubleToRawLongBits(e), Double.doubleToRawLongBits(a),
                                    "step " + step + " node (" + gx + ", " + gy + ") on tile " + r + ": " + e + " vs " + a);
                        }
                    }
                }
                source = expected;
            }
        }
    }

    private static HeldNodes held(String text) {
        String[] p = text.split(",");
        return new HeldNodes(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
    }

    /** Tile starts as the tiles module lays them out: the first n mod parts tiles one node longer. */
    private static int[] starts(int n, int parts) {
        int[] s = new int[parts + 1];
        for (int i = 0; i <= parts; i++) {
            s[i] = i * (n / parts) + Math.min(i, n % parts);
        }
        return s;
    }
}
