package dev.heatgrid.solver.engine;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link RowScan} one cell at a time, the reference. The eight lane sums are eight locals, each
 * block's cells added to them in lane order (an array indexed by lane cost an allocation per unit).
 */
final class ScalarRowScan implements RowScan {
    static final ScalarRowScan INSTANCE = new ScalarRowScan();
    /** A cell's bits. */
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public void scan(MemorySegment field, int u, RowTotals totals, int f) {
        long first = (long) totals.firstRow(u) * totals.nx();
        long n = (long) (totals.endRow(u) - totals.firstRow(u)) * totals.nx();
        long blocks = n / RowTotals.LANES;
        // min and max as order keys compared as longs (RowTotals#orderKey): what Math.min and Math.max
        // give, -0.0 below +0.0 and a NaN reaching one end, without their double compares, which are
        // calls where the JVM has no AVX.
        long lo = RowTotals.orderKey(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
        long hi = RowTotals.orderKey(Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY));
        long check = 0;
        double s0 = 0.0;
        double s1 = 0.0;
        double s2 = 0.0;
        double s3 = 0.0;
        double s4 = 0.0;
        double s5 = 0.0;
        double s6 = 0.0;
        double s7 = 0.0;
        for (long b = 0; b < blocks; b++) {
            long i = first + b * RowTotals.LANES;
            for (int j = 0; j < RowTotals.LANES; j++) {
                long bits = field.get(WORD, (i + j) * Double.BYTES);
                long key = RowTotals.orderKey(bits);
                lo = Math.min(lo, key);
                hi = Math.max(hi, key);
                check += bits ^ (i + j) * FrameChecksum.MIX;
            }
            s0 += field.get(CELL, i * Double.BYTES);
            s1 += field.get(CELL, (i + 1) * Double.BYTES);
            s2 += field.get(CELL, (i + 2) * Double.BYTES);
            s3 += field.get(CELL, (i + 3) * Double.BYTES);
            s4 += field.get(CELL, (i + 4) * Double.BYTES);
            s5 += field.get(CELL, (i + 5) * Double.BYTES);
            s6 += field.get(CELL, (i + 6) * Double.BYTES);
            s7 += field.get(CELL, (i + 7) * Double.BYTES);
        }
        double total = 0.0 + s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
        tail(field, first + blocks * RowTotals.LANES, first + n, lo, hi, total, check, totals, f, u);
    }

    /**
     * Adds cells {@code from..end-1} (the unit's cells after its last whole block) in order to what
     * the blocks gave, and records unit {@code u}; min and max come and go as order keys. Both scans
     * end here.
     */
    static void tail(MemorySegment field, long from, long end, long lo, long hi, double total, long check,
                     RowTotals totals, int f, int u) {
        for (long i = from; i < end; i++) {
            long bits = field.get(WORD, i * Double.BYTES);
            long key = RowTotals.orderKey(bits);
            lo = Math.min(lo, key);
            hi = Math.max(hi, key);
            check += bits ^ i * FrameChecksum.MIX;
            total += Double.longBitsToDouble(bits);
        }
        totals.record(f, u, Double.longBitsToDouble(RowTotals.orderKey(lo)), Double.longBitsToDouble(RowTotals.orderKey(hi)),
                total, check);
    }
}
