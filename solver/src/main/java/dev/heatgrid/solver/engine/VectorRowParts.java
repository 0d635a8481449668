package dev.heatgrid.solver.engine;

import dev.heatgrid.segment.FrameChecksum;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the vector loops that record {@link RowTotals} share: the checksum's lane mixes, and min and
 * max as integer order keys. A key orders doubles as signed longs in {@link Math#min} order (-0.0
 * below +0.0, NaNs beyond the infinities), so an integer compare and blend per vector replace the six
 * instructions a Java-semantics {@code DoubleVector.min} compiles to ({@code LongVector.min} itself
 * is not intrinsified on x86 in JDK 25: it allocated a vector per call). Only loaded with jdk.incubator.vector.
 *
 * <p>The loops get a value's bits by loading its memory as longs, never with
 * {@code reinterpretAsLongs()}: until C2 compiles a reinterpretation, the Vector API does it by
 * storing the vector into a byte[]-backed segment, which records a heap segment in the shared type
 * profile of {@code DoubleVector.intoMemorySegment}; the stencil's store, compiled later from that
 * profile, then carries a type switch that kept C2 from unrolling the loop and hoisting its checks
 * (docs/BENCHMARKS.md, "JIT sensitivity").
 */
public final class VectorRowParts {
    public static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    public static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
    /** Whether one vector is one block of {@link RowTotals}' lane-ordered sum. */
    public static final boolean FITS = DOUBLES.length() == RowTotals.LANES;
    /** Lane k holds k * MIX: add {@code i * MIX} for a vector starting at cell i (use the sum, not this object, in a loop). */
    public static final LongVector LANE_MIX = LongVector.fromArray(LONGS, laneMixes(), 0);
    /** What a vector's mixes advance by from one block to the next. */
    public static final long BLOCK_MIX = RowTotals.LANES * FrameChecksum.MIX;
    /**
     * Where a running minimum starts: the key of +infinity (an empty row's min). Loops broadcast it
     * themselves: a loop-carried vector that starts as a vector object read from a static field
     * stays an object, and C2 then allocates a box for it on every iteration.
     */
    public static final long NO_MIN = RowTotals.orderKey(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
    /** Where a running maximum starts: the key of -infinity. */
    public static final long NO_MAX = RowTotals.orderKey(Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY));

    private VectorRowParts() {
    }

    private static long[] laneMixes() {
        long[] mixes = new long[LONGS.length()];
        for (int k = 0; k < mixes.length; k++) {
            mixes[k] = k * FrameChecksum.MIX;
        }
        return mixes;
    }

    /** Order keys of the values whose bits are {@code bits}: negative values get all but the sign bit flipped. */
    public static LongVector keys(LongVector bits) {
        return bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 63).lanewise(VectorOperators.LSHR, 1));
    }

}
