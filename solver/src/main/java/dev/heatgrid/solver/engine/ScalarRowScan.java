package dev.heatgrid.solver.engine;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * {@link RowScan} one cell at a time, the reference: the eight lane sums of {@link RowTotals} in the
 * row's own slots of {@link RowTotals#laneSums} (an array made per row cost 80 bytes a row).
 */
final class ScalarRowScan implements RowScan {
    static final ScalarRowScan INSTANCE = new ScalarRowScan();
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public void interior(MemorySegment field, int y, RowTotals totals, int f) {
        int nx = totals.nx();
        long first = (long) y * nx;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double[] lanes = totals.laneSums(f);
        int at = y * RowTotals.LANES;
        Arrays.fill(lanes, at, at + RowTotals.LANES, 0.0);
        long check = 0;
        for (int x = 1; x < nx - 1; x++) {
            double v = field.get(CELL, (first + x) * Double.BYTES);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            lanes[at + RowTotals.lane(x, nx)] += v;
            check += Double.doubleToRawLongBits(v) ^ (first + x) * FrameChecksum.MIX;
        }
        double total = 0.0;
        for (int lane = 0; lane < RowTotals.LANES; lane++) {
            total += lanes[at + lane];
        }
        totals.interior(f, y, lo, hi, total, check);
    }
}
