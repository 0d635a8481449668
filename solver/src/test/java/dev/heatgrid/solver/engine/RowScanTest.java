package dev.heatgrid.solver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A row's statistics are exactly what {@link RowTotals} defines, written out here the slow and
 * obvious way: eight lane sums over the interior (cell x in lane (x - 1) mod 8), added in lane
 * order, then the west and the east edge. The scalar and the vector scan must both match it bit for
 * bit, for row lengths around the block size.
 */
class RowScanTest {
    @ParameterizedTest(name = "nx {0}")
    @ValueSource(ints = {1, 2, 3, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 25, 130, 512, 1001})
    void scalarAndVectorScansFollowTheDefinitionBitForBit(int nx) {
        int ny = 3;
        double[] values = new double[nx * ny];
        var random = new SplittableRandom(nx);
        for (int i = 0; i < values.length; i++) {
            // Magnitudes 1e-8 .. 1e8, both signs, some -0.0: any other order of the additions rounds differently.
            values[i] = random.nextInt(17) == 0 ? -0.0 : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-8, 9));
        }
        assertScansFollowTheDefinition(values, nx, ny);
    }

    /** A blow-up: NaNs (with payloads, either sign) and infinities in any lane or in the tail. */
    @ParameterizedTest(name = "nx {0}")
    @ValueSource(ints = {3, 10, 19, 130})
    void nanAndInfinitiesGiveWhatMathMinAndMaxGiveAndACanonicalNaN(int nx) {
        int ny = 6;
        double[] values = new double[nx * ny];
        var random = new SplittableRandom(nx);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextDouble() - 0.5;
        }
        values[random.nextInt(nx)] = Double.longBitsToDouble(0x7FF8_0000_0000_0042L);      // row 0: a positive NaN
        values[nx + random.nextInt(nx)] = Double.longBitsToDouble(0xFFF8_0000_0000_0001L); // row 1: a negative NaN
        values[2 * nx + random.nextInt(nx)] = Double.POSITIVE_INFINITY;                    // row 2: +inf
        values[3 * nx + random.nextInt(nx)] = Double.NEGATIVE_INFINITY;                    // row 3: -inf and +inf
        values[3 * nx + nx - 1] = Double.POSITIVE_INFINITY;
        values[4 * nx + 1] = -0.0;                                                         // row 4: -0.0 is the min
        for (int x = 0; x < nx; x++) {
            values[4 * nx + x] = x == 1 ? -0.0 : Math.abs(values[4 * nx + x]) + (x == 0 ? 0.0 : 1);
        }
        values[4 * nx] = 0.0;
        assertScansFollowTheDefinition(values, nx, ny);
    }

    private static void assertScansFollowTheDefinition(double[] values, int nx, int ny) {
        assertTrue(RowScan.best() instanceof VectorRowScan, "tests run with jdk.incubator.vector");
        MemorySegment field = MemorySegment.ofArray(values);
        for (int row = 0; row < ny; row++) {
            int y = row;
            double[] expected = definition(values, nx, y);
            for (RowScan scan : new RowScan[]{RowScan.scalar(), RowScan.best()}) {
                var totals = new RowTotals(nx, ny, 2);
                scan.scan(field, y, totals, 1);
                String what = scan.getClass().getSimpleName() + ", row " + y;
                assertEquals(Double.doubleToRawLongBits(expected[0]), Double.doubleToRawLongBits(totals.min(1, y)), what);
                assertEquals(Double.doubleToRawLongBits(expected[1]), Double.doubleToRawLongBits(totals.max(1, y)), what);
                assertEquals(Double.doubleToRawLongBits(expected[2]), Double.doubleToRawLongBits(totals.sum(1, y)),
                        () -> what + ": sum " + totals.sum(1, y) + " is not the defined " + expected[2]);
                long checksum = FrameChecksum.partial(field.asSlice((long) y * nx * 8, nx * 8L), (long) y * nx, nx);
                assertEquals(checksum, totals.checksum(1, y), what + ": checksum part");
            }
        }
    }

    private static double[] definition(double[] v, int nx, int y) {
        int row = y * nx;
        double[] lane = new double[RowTotals.LANES];
        int head = (nx - 2) % RowTotals.LANES; // blocks end at the last interior cell
        for (int x = 1; x < nx - 1; x++) {
            lane[(x - 1 - head + RowTotals.LANES) % RowTotals.LANES] += v[row + x];
        }
        double sum = 0.0;
        for (double s : lane) {
            sum += s;
        }
        sum += v[row];
        if (nx > 1) {
            sum += v[row + nx - 1];
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int x = 0; x < nx; x++) {
            min = Math.min(min, v[row + x]);
            max = Math.max(max, v[row + x]);
        }
        if (Double.isNaN(min)) {
            return new double[]{Double.NaN, Double.NaN, Double.NaN};
        }
        return new double[]{min, max, Double.isNaN(sum) ? Double.NaN : sum};
    }
}
