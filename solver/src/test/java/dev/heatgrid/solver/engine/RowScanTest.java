package dev.heatgrid.solver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A unit's statistics are exactly what {@link RowTotals} defines, written out here the slow and
 * obvious way: the unit's cells in memory order, eight lane sums over its whole blocks (cell i in
 * lane i mod 8), added in lane order, then the cells after the last whole block. The scalar and the
 * vector scan must both match it bit for bit, for row lengths around the block size and units with
 * and without a tail.
 */
class RowScanTest {
    @ParameterizedTest(name = "nx {0}")
    @ValueSource(ints = {1, 2, 3, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 25, 130, 512, 1001, 2049, 4100})
    void scalarAndVectorScansFollowTheDefinitionBitForBit(int nx) {
        int ny = 2 * RowTotals.unitRows(nx) + 1; // two whole units and a short one
        double[] values = new double[nx * ny];
        var random = new SplittableRandom(nx);
        for (int i = 0; i < values.length; i++) {
            // Magnitudes 1e-8 .. 1e8, both signs, some -0.0: any other order of the additions rounds differently.
            values[i] = random.nextInt(17) == 0 ? -0.0 : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-8, 9));
        }
        assertScansFollowTheDefinition(values, nx, ny);
    }

    /** A blow-up and the zeros: NaNs (with payloads, either sign) and infinities anywhere in a unit, and -0.0 as a bound. */
    @ParameterizedTest(name = "nx {0}")
    @ValueSource(ints = {3, 10, 19, 130, 2049})
    void nanAndInfinitiesGiveWhatMathMinAndMaxGiveAndACanonicalNaN(int nx) {
        int unit = RowTotals.unitRows(nx);
        int ny = 7 * unit;
        int cells = unit * nx;
        double[] values = new double[nx * ny];
        var random = new SplittableRandom(nx);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() - 0.5;
        }
        values[random.nextInt(cells)] = Double.longBitsToDouble(0x7FF8_0000_0000_0042L);         // unit 0: a positive NaN
        values[cells + random.nextInt(cells)] = Double.longBitsToDouble(0xFFF8_0000_0000_0001L); // unit 1: a negative NaN
        values[2 * cells + random.nextInt(cells)] = Double.POSITIVE_INFINITY;                    // unit 2: +inf
        values[3 * cells + random.nextInt(cells)] = Double.NEGATIVE_INFINITY;                    // unit 3: -inf and +inf
        values[4 * cells - 1] = Double.POSITIVE_INFINITY;                                        // (its last cell: the tail)
        for (int i = 4 * cells; i < 5 * cells; i++) {                                            // unit 4: -0.0 is the min
            values[i] = Math.abs(values[i]) + 1;
        }
        values[4 * cells + random.nextInt(cells)] = 0.0;
        values[4 * cells + random.nextInt(cells)] = -0.0;
        for (int i = 5 * cells; i < 6 * cells; i++) {                                            // unit 5: +0.0 is the max
            values[i] = -Math.abs(values[i]) - 1;
        }
        values[5 * cells + random.nextInt(cells)] = -0.0;
        values[5 * cells + random.nextInt(cells)] = 0.0;
        assertScansFollowTheDefinition(values, nx, ny);
    }

    private static void assertScansFollowTheDefinition(double[] values, int nx, int ny) {
        assertTrue(RowScan.best() instanceof VectorRowScan, "tests run with jdk.incubator.vector");
        MemorySegment field = MemorySegment.ofArray(values);
        var layout = new RowTotals(nx, ny, 2);
        for (int unit = 0; unit < layout.units(); unit++) {
            int u = unit;
            long first = (long) layout.firstRow(u) * nx;
            int n = (layout.endRow(u) - layout.firstRow(u)) * nx;
            double[] expected = definition(values, (int) first, n);
            for (RowScan scan : new RowScan[]{RowScan.scalar(), RowScan.best()}) {
                var totals = new RowTotals(nx, ny, 2);
                scan.scan(field, u, totals, 1);
                String what = scan.getClass().getSimpleName() + ", unit " + u;
                assertEquals(Double.doubleToRawLongBits(expected[0]), Double.doubleToRawLongBits(totals.min(1, u)),
                        () -> what + ": min " + totals.min(1, u) + " is not " + expected[0]);
                assertEquals(Double.doubleToRawLongBits(expected[1]), Double.doubleToRawLongBits(totals.max(1, u)),
                        () -> what + ": max " + totals.max(1, u) + " is not " + expected[1]);
                assertEquals(Double.doubleToRawLongBits(expected[2]), Double.doubleToRawLongBits(totals.sum(1, u)),
                        () -> what + ": sum " + totals.sum(1, u) + " is not the defined " + expected[2]);
                long checksum = FrameChecksum.partial(field.asSlice(first * 8, n * 8L), first, n);
                assertEquals(checksum, totals.checksum(1, u), what + ": checksum part");
            }
        }
    }

    /** min, max and sum of the {@code n} cells from {@code first}, as RowTotals defines them. */
    private static double[] definition(double[] v, int first, int n) {
        double[] lane = new double[RowTotals.LANES];
        int whole = n / RowTotals.LANES * RowTotals.LANES;
        for (int i = 0; i < whole; i++) {
            lane[i % RowTotals.LANES] += v[first + i];
        }
        double sum = 0.0;
        for (double s : lane) {
            sum += s;
        }
        for (int i = whole; i < n; i++) {
            sum += v[first + i];
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, v[first + i]);
            max = Math.max(max, v[first + i]);
        }
        if (Double.isNaN(min)) {
            return new double[]{Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[]{min, max, Double.isNaN(sum) ? Double.NaN : sum};
    }
}
