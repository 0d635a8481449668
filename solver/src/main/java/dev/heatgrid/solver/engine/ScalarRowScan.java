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
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public void interior(MemorySegment field, int y, RowTotals totals, int f) {
        int nx = totals.nx();
        long first = (long) y * nx;
        // min and max as order keys compared as longs (RowTotals#orderKey): what Math.min and Math.max
        // give, -0.0 below +0.0 and a NaN reaching one end, without their double compares, which are
        // calls where the JVM has no AVX (a quarter of a step's samples).
        long lo = RowTotals.orderKey(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        long hi = RowTotals.orderKey(Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY));
        double[] lanes = totals.laneSums(f);
        int at = y * RowTotals.LANES;
        Arrays.fill(lanes, at, at + RowTotals.LANES, 0.0);
        long check = 0;
        int lane = RowTotals.lane(1, nx);
        for (int x = 1; x < nx - 1; x++) {
            long bits = field.get(WORD, (first + x) * Double.BYTES);
            long key = RowTotals.orderKey(bits);
            lo = Math.min(lo, key);
            hi = Math.max(hi, key);
            lanes[at + lane] += Double.longBitsToDouble(bits);
            lane = (lane + 1) & (RowTotals.LANES - 1);
            check += bits ^ (first + x) * FrameChecksum.MIX;
        }
        double total = 0.0;
        for (int k = 0; k < RowTotals.LANES; k++) {
            total += lanes[at + k];
        }
        totals.interior(f, y, Double.longBitsToDouble(RowTotals.orderKey(lo)),
                Double.longBitsToDouble(RowTotals.orderKey(hi)), total, check);
    }
}
