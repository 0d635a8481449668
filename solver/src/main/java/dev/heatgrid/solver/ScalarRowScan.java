package dev.heatgrid.solver;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** {@link RowScan} one value at a time. */
final class ScalarRowScan implements RowScan {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public void scan(MemorySegment data, long offset, int count, double[] min, double[] max, double[] sum, int index) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double s = 0;
        for (int i = 0; i < count; i++) {
            double v = data.get(CELL, offset + (long) i * Double.BYTES);
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            s += v;
        }
        min[index] = lo;
        max[index] = hi;
        sum[index] = s;
    }
}
