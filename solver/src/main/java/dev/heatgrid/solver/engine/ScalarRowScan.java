package dev.heatgrid.solver.engine;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** {@link RowScan} one cell at a time, keeping the eight lane sums of {@link RowTotals} in eight variables. */
final class ScalarRowScan implements RowScan {
    static final ScalarRowScan INSTANCE = new ScalarRowScan();
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public void interior(MemorySegment field, int y, RowTotals totals, int f) {
        int nx = totals.nx();
        long first = (long) y * nx;
        long row = first * Double.BYTES;
        int blocks = Math.max(0, nx - 2) / RowTotals.LANES;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        double s4 = 0;
        double s5 = 0;
        double s6 = 0;
        double s7 = 0;
        long check = 0;
        for (int k = 0; k < blocks; k++) {
            int x = 1 + k * RowTotals.LANES;
            long at = row + (long) x * Double.BYTES;
            double v0 = field.get(CELL, at);
            double v1 = field.get(CELL, at + 8);
            double v2 = field.get(CELL, at + 16);
            double v3 = field.get(CELL, at + 24);
            double v4 = field.get(CELL, at + 32);
            double v5 = field.get(CELL, at + 40);
            double v6 = field.get(CELL, at + 48);
            double v7 = field.get(CELL, at + 56);
            s0 += v0;
            s1 += v1;
            s2 += v2;
            s3 += v3;
            s4 += v4;
            s5 += v5;
            s6 += v6;
            s7 += v7;
            lo = Math.min(lo, Math.min(Math.min(Math.min(v0, v1), Math.min(v2, v3)), Math.min(Math.min(v4, v5),
                    Math.min(v6, v7))));
            hi = Math.max(hi, Math.max(Math.max(Math.max(v0, v1), Math.max(v2, v3)), Math.max(Math.max(v4, v5),
                    Math.max(v6, v7))));
            long mix = (first + x) * FrameChecksum.MIX;
            check += word(v0, mix) + word(v1, mix + FrameChecksum.MIX) + word(v2, mix + 2 * FrameChecksum.MIX)
                    + word(v3, mix + 3 * FrameChecksum.MIX) + word(v4, mix + 4 * FrameChecksum.MIX)
                    + word(v5, mix + 5 * FrameChecksum.MIX) + word(v6, mix + 6 * FrameChecksum.MIX)
                    + word(v7, mix + 7 * FrameChecksum.MIX);
        }
        double total = 0.0 + s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
        for (int x = 1 + blocks * RowTotals.LANES; x < nx - 1; x++) {
            double v = field.get(CELL, row + (long) x * Double.BYTES);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            total += v;
            check += word(v, (first + x) * FrameChecksum.MIX);
        }
        totals.interior(f, y, lo, hi, total, check);
    }

    /** A cell's term of the checksum (docs/FORMAT.md 3.1): its bits XOR its index times MIX. */
    private static long word(double v, long mix) {
        return Double.doubleToRawLongBits(v) ^ mix;
    }
}
