package dev.heatgrid.solver.engine;

import dev.heatgrid.segment.FrameChecksum;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * What the vector loops share: the species, whether a block of {@link RowTotals#LANES} cells is one
 * or two vectors, and the checksum's lane mixes. Only loaded with jdk.incubator.vector.
 *
 * <p>The loops get a value's bits by loading its memory as longs, never with
 * {@code reinterpretAsLongs()}: until C2 compiles a reinterpretation, the Vector API does it by
 * storing the vector into a byte[]-backed segment, which records a heap segment in the shared type
 * profile of {@code DoubleVector.intoMemorySegment}; the stencil's store, compiled later from that
 * profile, then carries a type switch that kept C2 from unrolling the loop and hoisting its checks
 * (docs/BENCHMARKS.md, "JIT sensitivity").
 */
public final class VectorRowParts {
    /**
     * The JVM's preferred shape, or the one {@code -Dheatgrid.vectorBits} (256 or 512) names: a test
     * runs the loops of another machine's width with it (docs/TESTING.md). A shape wider than the
     * hardware's runs in Java code: the same bits, many times slower.
     */
    private static final VectorShape SHAPE = shape(System.getProperty("heatgrid.vectorBits"));
    public static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED.withShape(SHAPE);
    public static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED.withShape(SHAPE);
    /** Doubles per vector: 8 with AVX-512, 4 with AVX2, 2 with SSE or NEON. */
    public static final int VECTOR_LANES = DOUBLES.length();
    /**
     * Vectors per block of {@link RowTotals}' lane-ordered sum: one with AVX-512, two with AVX2, each
     * vector lane one lane of the sum, so the sum's order is the same on every machine.
     */
    public static final int PARTS = Math.max(1, RowTotals.LANES / VECTOR_LANES);
    /**
     * Whether the vector loops run: a block is one or two vectors and a double vector's bits one long
     * vector. Else the loops defer to scalar ones: with AVX2 limited to SSE (2 doubles, 4 parts), the
     * parts ran 3x slower than the scalar loop (docs/BENCHMARKS.md, "Vector width").
     */
    public static final boolean FITS = (VECTOR_LANES == RowTotals.LANES || 2 * VECTOR_LANES == RowTotals.LANES)
            && LONGS.length() == VECTOR_LANES;
    /** Lane k holds k * MIX: add {@code i * MIX} for a vector starting at cell i (use the sum, not this object, in a loop). */
    public static final LongVector LANE_MIX = LongVector.fromArray(LONGS, laneMixes(), 0);
    /** What a vector's mixes advance by from one block to the next. */
    public static final long BLOCK_MIX = RowTotals.LANES * FrameChecksum.MIX;

    private VectorRowParts() {
    }

    private static VectorShape shape(String bits) {
        if (bits == null) {
            return VectorShape.preferredShape();
        }
        return switch (bits) {
            case "256" -> VectorShape.S_256_BIT;
            case "512" -> VectorShape.S_512_BIT;
            default -> throw new IllegalArgumentException("heatgrid.vectorBits is " + bits + "; allowed 256 or 512");
        };
    }

    private static long[] laneMixes() {
        long[] mixes = new long[LONGS.length()];
        for (int k = 0; k < mixes.length; k++) {
            mixes[k] = k * FrameChecksum.MIX;
        }
        return mixes;
    }
}
