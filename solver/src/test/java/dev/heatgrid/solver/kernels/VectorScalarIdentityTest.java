package dev.heatgrid.solver.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.solver.engine.RowScan;
import dev.heatgrid.solver.engine.RowTotals;
import dev.heatgrid.solver.engine.VectorRowParts;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Subnormals;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vector loop must give exactly the scalar loop's bits: same operations in the same order, no
 * FMA, and the overlapping last vector rewriting the same values. Row lengths around the vector
 * width exercise the overlap and the scalar fallback; values span many magnitudes, signs, zeros
 * and values near the flush threshold. The vector scan of the written frame must record exactly what
 * the scalar scan records.
 */
class VectorScalarIdentityTest {
    /**
     * The solver pom runs this class again in a JVM limited to AVX2 (4 doubles a vector), naming the
     * width it expects: the vector loops must take every block in two parts there, not fall back to
     * the scalar loop, and still agree with it bit for bit.
     */
    @Test
    void theVectorLoopsUseAvx2AndAvx512Vectors() {
        Integer expected = Integer.getInteger("heatgrid.expect.vectorLanes");
        if (expected != null) {
            assertEquals(expected.intValue(), VectorRowParts.VECTOR_LANES, "doubles per vector in this JVM");
        }
        if (VectorRowParts.VECTOR_LANES >= 4) {
            assertTrue(VectorRowParts.FITS, VectorRowParts.VECTOR_LANES + " doubles per vector: the fused loops would"
                    + " be scalar");
        }
    }

    // 130x40 and 131x41: inner rows in pieces of 15 rows with a shorter last piece, 131 wide so that a
    // piece's run of nodes ends with the vector moved back (VectorFtcsRows.acrossRows).
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {"3x5; dirichlet:0", "9x4; neumann", "10x7; periodic", "11x6; neumann",
            "12x5; periodic", "13x3; neumann", "14x4; dirichlet:0", "15x4; periodic", "16x6; neumann",
            "17x9; periodic", "18x3; dirichlet:1", "33x33; neumann", "1000x7; periodic", "1001x5; neumann",
            "1029x9; dirichlet:0", "2050x4; periodic", "130x40; periodic", "131x41; dirichlet:0"})
    void vectorAndScalarLoopsAgreeBitForBit(String size, String boundary) {
        assertTrue(FtcsKernel.vectorized(), "tests run with jdk.incubator.vector: the vector loop must be in use");
        String[] nxy = size.split("x");
        var grid = new GridGeometry(Integer.parseInt(nxy[0]), Integer.parseInt(nxy[1]), 1, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(grid.cells() * 8, 64);
            var random = new SplittableRandom(grid.cells());
            for (long i = 0; i < grid.cells(); i++) {
                double v = switch (random.nextInt(5)) {
                    case 0 -> 0.0;
                    case 1 -> Subnormals.FLUSH_BELOW * random.nextDouble(0.5, 4);
                    case 2 -> -random.nextDouble() * 1e-3;
                    default -> random.nextDouble() * Math.pow(10, random.nextInt(-20, 20));
                };
                src.setAtIndex(ValueLayout.JAVA_DOUBLE, i, v);
            }
            Boundary b = Boundary.parse(boundary);
            for (double r : new double[]{0.25, 0.1, 1.0 / 3 / 2}) {
                Stepper scalar = FtcsKernel.stepper(false, r, r * 0.7, b);
                Stepper vector = FtcsKernel.stepper(true, r, r * 0.7, b);
                MemorySegment reference = arena.allocate(grid.cells() * 8, 64);
                scalar.step(new StepFrame(grid, b, List.of(src), List.of(reference), 0, 0), 0, 0, grid.ny());
                MemorySegment vectorOut = arena.allocate(grid.cells() * 8, 64);
                vector.step(new StepFrame(grid, b, List.of(src), List.of(vectorOut), 0, 0), 0, 0, grid.ny());
                assertSameBits(grid, b, reference, vectorOut, "vector row, r " + r);
                assertScansAgree(grid, reference, "r " + r);
                // As workers step them: bands that start and end between the edge rows (each band's
                // inner rows go through the loops over rows, the edge rows one by one).
                int[] cuts = {0, grid.ny() / 3, 2 * grid.ny() / 3, grid.ny()};
                MemorySegment stripped = arena.allocate(grid.cells() * 8, 64);
                for (int k = 0; k + 1 < cuts.length; k++) {
                    vector.step(new StepFrame(grid, b, List.of(src), List.of(stripped), 0, 0), 0, cuts[k], cuts[k + 1]);
                }
                assertSameBits(grid, b, reference, stripped, "vector rows in three bands, r " + r);
            }
        }
    }

    /**
     * Nodes on a Dirichlet west or east edge are the engine's to write: both loops compute every
     * other node (Dirichlet rows included), in whole steps and in bands, as the update says from the
     * neighbours the frame names (the definition, node by node, here); the scalar loop leaves the
     * held nodes as they were.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ';', value = {"131x41; dirichlet:0", "3x5; dirichlet:1", "1x4; dirichlet:1",
            "14x4; north=dirichlet:1,south=neumann,west=periodic,east=periodic",
            "1029x9; west=dirichlet:0,east=neumann,north=periodic,south=periodic",
            "33x7; neumann,east=dirichlet:2", "130x40; neumann,south=dirichlet:3,west=dirichlet:4"})
    void dirichletEdgeNodesAreLeftToTheEngine(String size, String boundary) {
        String[] nxy = size.split("x");
        var grid = new GridGeometry(Integer.parseInt(nxy[0]), Integer.parseInt(nxy[1]), 1, 1);
        int nx = grid.nx();
        int ny = grid.ny();
        Boundary b = Boundary.parse(boundary);
        double untouched = 12345.5;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(grid.cells() * 8, 64);
            var random = new SplittableRandom(grid.cells());
            for (long i = 0; i < grid.cells(); i++) {
                src.setAtIndex(ValueLayout.JAVA_DOUBLE, i, random.nextDouble() * 10 - 5);
            }
            var definition = new StepFrame(grid, b, List.of(src), List.of(src), 0, 0);
            for (boolean vectorLoop : new boolean[]{false, true}) {
                Stepper stepper = FtcsKernel.stepper(vectorLoop, 0.2, 0.15, b);
                for (int bands : new int[]{1, 3}) {
                    MemorySegment out = arena.allocate(grid.cells() * 8, 64);
                    for (long i = 0; i < grid.cells(); i++) {
                        out.setAtIndex(ValueLayout.JAVA_DOUBLE, i, untouched);
                    }
                    for (int k = 0; k < bands; k++) {
                        stepper.step(new StepFrame(grid, b, List.of(src), List.of(out), 0, 0), 0, ny * k / bands,
                                ny * (k + 1) / bands);
                    }
                    for (int y = 0; y < ny; y++) {
                        for (int x = 0; x < nx; x++) {
                            boolean held = held(grid, b, x, y);
                            if (held && vectorLoop) {
                                continue; // its runs across rows may write held nodes: any value will do
                            }
                            double expected = held ? untouched : FtcsRows.update(node(src, grid, x, y),
                                    node(src, grid, definition.columnWest(x), y), node(src, grid, definition.columnEast(x), y),
                                    node(src, grid, x, definition.rowBelow(y)), node(src, grid, x, definition.rowAbove(y)),
                                    0.2, 0.15);
                            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(node(out, grid, x, y)),
                                    (vectorLoop ? "vector" : "scalar") + " loop, " + bands + " bands, node (" + x + ", " + y
                                            + ")" + (held ? ", held" : ""));
                        }
                    }
                }
            }
        }
    }

    /** Whether node (x, y) lies on a Dirichlet west or east edge, which ftcs leaves to the engine. */
    private static boolean held(GridGeometry grid, Boundary b, int x, int y) {
        return x == 0 && b.west().isDirichlet() || x == grid.nx() - 1 && b.east().isDirichlet();
    }

    private static double node(MemorySegment frame, GridGeometry grid, int x, int y) {
        return frame.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) y * grid.nx() + x);
    }

    /**
     * A blow-up: NaNs (with payloads) and infinities in the source give NaN and infinite nodes. The
     * vector scan's statistics must still be the scalar scan's: min, max and sum the canonical NaN in
     * every unit that holds one.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"12x6", "33x9", "130x7"})
    void blowUpsGiveTheStatisticsOfTheScalarLoop(String size) {
        String[] nxy = size.split("x");
        var grid = new GridGeometry(Integer.parseInt(nxy[0]), Integer.parseInt(nxy[1]), 1, 1);
        int nx = grid.nx();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(grid.cells() * 8, 64);
            var random = new SplittableRandom(grid.cells());
            for (long i = 0; i < grid.cells(); i++) {
                src.setAtIndex(ValueLayout.JAVA_DOUBLE, i, random.nextDouble() - 0.5);
            }
            src.setAtIndex(ValueLayout.JAVA_DOUBLE, 2L * nx + nx - 3, Double.longBitsToDouble(0x7FF8_0000_0000_0042L));
            src.setAtIndex(ValueLayout.JAVA_DOUBLE, 4L * nx + nx / 2, Double.longBitsToDouble(0xFFF8_0000_0000_0001L));
            src.setAtIndex(ValueLayout.JAVA_DOUBLE, 5L * nx + 1, Double.POSITIVE_INFINITY);
            src.setAtIndex(ValueLayout.JAVA_DOUBLE, 5L * nx + nx - 2, Double.NEGATIVE_INFINITY);
            Boundary b = Boundary.parse("neumann");
            Stepper scalar = FtcsKernel.stepper(false, 0.2, 0.2, b);
            Stepper vector = FtcsKernel.stepper(true, 0.2, 0.2, b);
            MemorySegment reference = arena.allocate(grid.cells() * 8, 64);
            scalar.step(new StepFrame(grid, b, List.of(src), List.of(reference), 0, 0), 0, 0, grid.ny());
            MemorySegment out = arena.allocate(grid.cells() * 8, 64);
            vector.step(new StepFrame(grid, b, List.of(src), List.of(out), 0, 0), 0, 0, grid.ny());
            assertSameBits(grid, b, reference, out, "vector row, blow-up");
            var scanned = new RowTotals(nx, grid.ny(), 1);
            int nanUnits = 0;
            for (int u = 0; u < scanned.units(); u++) {
                RowScan.scalar().scan(reference, u, scanned, 0);
                nanUnits += Double.isNaN(scanned.min(0, u)) ? 1 : 0;
            }
            assertTrue(nanUnits >= 1, "the blow-up reaches rows 1-6");
            assertScansAgree(grid, reference, "blow-up");
        }
    }

    /**
     * Zeros of both signs and the smallest subnormals, where min and max depend on the sign of a zero.
     * A flushed value is never -0.0; without the flush (the solver pom runs this class again with
     * {@code -Dheatgrid.flushSubnormals=false}) the step writes -0.0, and the vector scan's statistics
     * must still be the scalar scan's, -0.0 below +0.0.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"12x6", "33x9", "130x7"})
    void signedZerosGiveTheStatisticsOfTheScalarLoop(String size) {
        String[] nxy = size.split("x");
        var grid = new GridGeometry(Integer.parseInt(nxy[0]), Integer.parseInt(nxy[1]), 1, 1);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(grid.cells() * 8, 64);
            var random = new SplittableRandom(grid.cells());
            double[] values = {-0.0, -0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, -2 * Double.MIN_VALUE};
            for (long i = 0; i < grid.cells(); i++) {
                src.setAtIndex(ValueLayout.JAVA_DOUBLE, i, values[random.nextInt(values.length)]);
            }
            Boundary b = Boundary.parse("neumann");
            MemorySegment reference = arena.allocate(grid.cells() * 8, 64);
            FtcsKernel.stepper(false, 0.2, 0.2, b).step(new StepFrame(grid, b, List.of(src), List.of(reference), 0, 0), 0,
                    0, grid.ny());
            int negativeZeros = 0;
            for (long i = 0; i < grid.cells(); i++) {
                negativeZeros += Double.doubleToRawLongBits(reference.getAtIndex(ValueLayout.JAVA_DOUBLE, i)) == Long.MIN_VALUE
                        ? 1 : 0;
            }
            if (Subnormals.FLUSH_BELOW > 0) {
                assertEquals(0, negativeZeros, "a flushed value is never -0.0");
            } else {
                assertTrue(negativeZeros > 0, "without the flush the step writes -0.0 here");
            }
            assertScansAgree(grid, reference, "signed zeros");
        }
    }

    /** The vector scan of every unit of {@code frame} records what the scalar scan records. */
    private static void assertScansAgree(GridGeometry grid, MemorySegment frame, String what) {
        var expected = new RowTotals(grid.nx(), grid.ny(), 1);
        var actual = new RowTotals(grid.nx(), grid.ny(), 1);
        for (int u = 0; u < expected.units(); u++) {
            RowScan.scalar().scan(frame, u, expected, 0);
            RowScan.best().scan(frame, u, actual, 0);
        }
        assertSameTotals(expected, actual, what);
    }

    private static void assertSameTotals(RowTotals expected, RowTotals actual, String what) {
        for (int u = 0; u < expected.units(); u++) {
            assertEquals(Double.doubleToRawLongBits(expected.min(0, u)), Double.doubleToRawLongBits(actual.min(0, u)),
                    what + ", min of unit " + u);
            assertEquals(Double.doubleToRawLongBits(expected.max(0, u)), Double.doubleToRawLongBits(actual.max(0, u)),
                    what + ", max of unit " + u);
            assertEquals(Double.doubleToRawLongBits(expected.sum(0, u)), Double.doubleToRawLongBits(actual.sum(0, u)),
                    what + ", sum of unit " + u);
            assertEquals(expected.checksum(0, u), actual.checksum(0, u), what + ", checksum of unit " + u);
        }
    }

    /** The same bits at every node but those on Dirichlet west and east edges (the engine's to write). */
    private static void assertSameBits(GridGeometry grid, Boundary b, MemorySegment expected, MemorySegment actual,
                                       String what) {
        for (long i = 0; i < grid.cells(); i++) {
            if (held(grid, b, (int) (i % grid.nx()), (int) (i / grid.nx()))) {
                continue;
            }
            long s = Double.doubleToRawLongBits(expected.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
            long v = Double.doubleToRawLongBits(actual.getAtIndex(ValueLayout.JAVA_DOUBLE, i));
            assertEquals(s, v, what + ": node " + i + " (x " + i % grid.nx() + ", y " + i / grid.nx() + ")");
        }
    }
}
