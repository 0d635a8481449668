package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Computes {@link FieldStats} of a field in one pass, for writers whose kernels do not compute
 * them as they go. Sums use Neumaier compensation so the mean and total do not drift on large grids.
 */
public final class FrameStatistics {
    private static final ValueLayout.OfDouble CELL =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private FrameStatistics() {
    }

    /** Statistics and checksum of one field of {@code cells} cells stored from byte 0 of {@code data}. */
    public static FieldStats of(MemorySegment data, long cells, double dx, double dy) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double compensation = 0;
        for (long i = 0; i < cells; i++) {
            double v = data.getAtIndex(CELL, i);
            min = Math.min(min, v);
            max = Math.max(max, v);
            double t = sum + v;
            compensation += Math.abs(sum) >= Math.abs(v) ? (sum - t) + v : (v - t) + sum;
            sum = t;
        }
        double total = sum + compensation;
        return new FieldStats(min, max, total / cells, total * dx * dy, FrameChecksum.of(data, cells));
    }

    /** Statistics of a field held in an array. */
    public static FieldStats of(double[] field, double dx, double dy) {
        return of(MemorySegment.ofArray(field), field.length, dx, dy);
    }
}
