package dev.heatgrid.solver;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link RowScan} with the Vector API: one accumulator per lane, reduced at the end of the row. */
final class VectorRowScan implements RowScan {
    /** static final, so C2 treats the shape as a constant. */
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(LE);

    @Override
    public void scan(MemorySegment data, long offset, int count, double[] min, double[] max, double[] sum, int index) {
        int lanes = SPECIES.length();
        DoubleVector lo = DoubleVector.broadcast(SPECIES, Double.POSITIVE_INFINITY);
        DoubleVector hi = DoubleVector.broadcast(SPECIES, Double.NEGATIVE_INFINITY);
        DoubleVector s = DoubleVector.zero(SPECIES);
        int bound = count - count % lanes;
        int i = 0;
        for (; i < bound; i += lanes) {
            DoubleVector v = DoubleVector.fromMemorySegment(SPECIES, data, offset + (long) i * Double.BYTES, LE);
            lo = lo.min(v);
            hi = hi.max(v);
            s = s.add(v);
        }
        double l = lo.reduceLanes(VectorOperators.MIN);
        double h = hi.reduceLanes(VectorOperators.MAX);
        double total = sumInLaneOrder(s);
        for (; i < count; i++) {
            double v = data.get(CELL, offset + (long) i * Double.BYTES);
            l = Math.min(l, v);
            h = Math.max(h, v);
            total += v;
        }
        min[index] = l;
        max[index] = h;
        sum[index] = total;
    }

    /**
     * reduceLanes(ADD) may add the lanes in any order, so the last bit of the sum could differ
     * between runs or JIT tiers; a fixed order keeps frame statistics (and a resumed run's) reproducible.
     */
    private static double sumInLaneOrder(DoubleVector s) {
        double total = 0;
        for (int lane = 0; lane < SPECIES.length(); lane++) {
            total += s.lane(lane);
        }
        return total;
    }
}
