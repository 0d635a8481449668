package dev.heatgrid.solver.engine;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
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
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG.withOrder(LE);
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
     * Vectors per block of {@link RowTotals}' lane-ordered sum. A loop takes part p of every block
     * (its lanes p * VECTOR_LANES ..) in one pass over the row, so each vector lane stays one lane of
     * the sum and the sum's order is the same on every machine: one pass with AVX-512, two with AVX2.
     */
    public static final int PARTS = Math.max(1, RowTotals.LANES / VECTOR_LANES);
    /**
     * Whether the vector loops run: a block is one or two vectors and a double vector's bits one long
     * vector. Else the loops defer to scalar ones: with AVX2 limited to SSE (2 doubles, 4 parts), the
     * parts ran 3x slower than the scalar loop, their long compares and shifts not compiled to vector
     * instructions (docs/BENCHMARKS.md, "Vector width").
     */
    public static final boolean FITS = (VECTOR_LANES == RowTotals.LANES || 2 * VECTOR_LANES == RowTotals.LANES)
            && LONGS.length() == VECTOR_LANES;
    /** Bytes from one block to the next: the stride of a part's pass. */
    public static final long BLOCK_BYTES = (long) RowTotals.LANES * Double.BYTES;
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

    /**
     * Starts row {@code y}'s lanes of field {@code f} in {@code totals} with the row's head (min and
     * max as order keys for {@link RowTotals#lanesDone}, or as doubles for {@link RowTotals#boundsDone}
     * if {@code asDoubles}; only the one the loop keeps: keys cost 14 instructions a vector with AVX2): the
     * {@link RowTotals#headCells} interior cells before its first complete block, taken from the
     * vector that ends at x = head, whose lane j holds x = head - 7 + j, already in its lane (the
     * lanes before x = 1 are masked off: they start empty). A vector loop then takes its
     * accumulators from there. Out of the loops' methods on purpose: inside the stencil's method
     * these few vector operations pushed C2 past its inlining budget, and it boxed every vector.
     *
     * @param rowStart byte offset of the row's cell x = 0 in {@code field}, which holds the row as
     *                 written (where the head vector would start before the field, in row 0, the
     *                 head's cells go into the same lanes one by one)
     */
    public static void startLanes(MemorySegment field, long rowStart, RowTotals totals, int f, int y,
                                  boolean asDoubles) {
        startLanes(field, rowStart, 0, 1, totals, f, y, asDoubles);
    }

    /**
     * {@link #startLanes(MemorySegment, long, RowTotals, int, int, boolean)} for {@code count} rows from row
     * {@code y0}, whose first cells are {@code rowBytes} apart from {@code firstRow} on: one loop
     * instead of a call per row.
     */
    public static void startLanes(MemorySegment field, long firstRow, long rowBytes, int count, RowTotals totals, int f,
                                  int y0, boolean asDoubles) {
        int nx = totals.nx();
        int head = RowTotals.headCells(nx);
        long lanes = -1L << (RowTotals.LANES - head);
        long[] words = totals.laneWords(f);
        double[] sums = totals.laneSums(f);
        double[] bounds = totals.laneBounds(f);
        for (int part = 0; part < PARTS; part++) { // with AVX-512 one part: the whole block
            int lane0 = part * VECTOR_LANES;
            long partLanes = lanes >>> lane0;
            VectorMask<Long> in = VectorMask.fromLong(LONGS, partLanes);
            VectorMask<Double> inDoubles = VectorMask.fromLong(DOUBLES, partLanes);
            for (int i = 0; i < count; i++) {
                int y = y0 + i;
                long rowStart = firstRow + i * rowBytes;
                LongVector lo = LongVector.broadcast(LONGS, NO_MIN);
                LongVector hi = LongVector.broadcast(LONGS, NO_MAX);
                DoubleVector sum = DoubleVector.zero(DOUBLES);
                DoubleVector least = DoubleVector.broadcast(DOUBLES, Double.POSITIVE_INFINITY);
                DoubleVector most = DoubleVector.broadcast(DOUBLES, Double.NEGATIVE_INFINITY);
                LongVector check = LongVector.zero(LONGS);
                long blockAt = rowStart + (long) (1 + head - RowTotals.LANES) * Double.BYTES;
                long headAt = blockAt + (long) lane0 * Double.BYTES;
                if (head > 0 && blockAt >= 0) {
                    LongVector bits = LongVector.fromMemorySegment(LONGS, field, headAt, LE);
                    DoubleVector v = DoubleVector.fromMemorySegment(DOUBLES, field, headAt, LE);
                    if (asDoubles) {
                        least = least.blend(v, inDoubles);
                        most = most.blend(v, inDoubles);
                    } else {
                        LongVector keys = keys(bits);
                        lo = lo.blend(keys, in);
                        hi = hi.blend(keys, in);
                    }
                    sum = sum.add(sum.blend(v, inDoubles)); // +0.0 + v, as RowTotals adds it
                    LongVector mix = LANE_MIX.add(((long) y * nx + 1 + head - RowTotals.LANES + lane0) * FrameChecksum.MIX);
                    check = check.blend(bits.lanewise(VectorOperators.XOR, mix), in);
                }
                int at = y * 3 * RowTotals.LANES + lane0;
                if (asDoubles) {
                    least.intoArray(bounds, y * 2 * RowTotals.LANES + lane0);
                    most.intoArray(bounds, y * 2 * RowTotals.LANES + RowTotals.LANES + lane0);
                } else {
                    lo.intoArray(words, at);
                    hi.intoArray(words, at + RowTotals.LANES);
                }
                check.intoArray(words, at + 2 * RowTotals.LANES);
                sum.intoArray(sums, y * RowTotals.LANES + lane0);
            }
        }
        for (int i = 0; i < count; i++) {
            int y = y0 + i;
            long rowStart = firstRow + i * rowBytes;
            long headAt = rowStart + (long) (1 + head - RowTotals.LANES) * Double.BYTES;
            int at = y * 3 * RowTotals.LANES;
            if (head > 0 && headAt < 0) {
                for (int x = 1; x <= head; x++) { // each lane starts empty: its first cell is its min, max and sum
                    long bits = field.get(WORD, rowStart + (long) x * Double.BYTES);
                    double value = Double.longBitsToDouble(bits);
                    int lane = RowTotals.lane(x, nx);
                    if (asDoubles) {
                        bounds[y * 2 * RowTotals.LANES + lane] = value;
                        bounds[y * 2 * RowTotals.LANES + RowTotals.LANES + lane] = value;
                    } else {
                        long key = RowTotals.orderKey(bits);
                        words[at + lane] = key;
                        words[at + RowTotals.LANES + lane] = key;
                    }
                    words[at + 2 * RowTotals.LANES + lane] = bits ^ ((long) y * nx + x) * FrameChecksum.MIX;
                    sums[y * RowTotals.LANES + lane] = 0.0 + value;
                }
            }
        }
    }

    /**
     * The lanes of blocks already written, min and max as order keys (exact for any value: the
     * engine's scan, {@link RowTotals#lanesDone}): one vector of every block from byte {@code at} of
     * {@code field} (see {@link #PARTS}); its lanes' accumulators start from, and are stored back to,
     * {@code words} at {@code slot} and {@code sums} at {@code sumSlot}.
     */
    public static void keysOfWrittenBlocks(MemorySegment field, long at, int blocks, long firstMix, long[] words,
                                           double[] sums, int slot, int sumSlot) {
        LongVector lo = LongVector.fromArray(LONGS, words, slot);
        LongVector hi = LongVector.fromArray(LONGS, words, slot + RowTotals.LANES);
        LongVector check = LongVector.fromArray(LONGS, words, slot + 2 * RowTotals.LANES);
        DoubleVector sum = DoubleVector.fromArray(DOUBLES, sums, sumSlot);
        LongVector mix = LANE_MIX.add(firstMix);
        for (int i = 0; i < blocks; i++) {
            long cell = at + i * BLOCK_BYTES;
            DoubleVector v = DoubleVector.fromMemorySegment(DOUBLES, field, cell, LE);
            LongVector bits = LongVector.fromMemorySegment(LONGS, field, cell, LE); // no reinterpret (class comment)
            LongVector keys = keys(bits);
            lo = lo.blend(keys, keys.compare(VectorOperators.LT, lo)); // not min(): C2 boxes a long min
            hi = hi.blend(keys, keys.compare(VectorOperators.GT, hi));
            sum = sum.add(v);
            check = check.add(bits.lanewise(VectorOperators.XOR, mix));
            mix = mix.add(BLOCK_MIX);
        }
        // Stored, not reduced here: RowTotals folds them in order.
        lo.intoArray(words, slot);
        hi.intoArray(words, slot + RowTotals.LANES);
        check.intoArray(words, slot + 2 * RowTotals.LANES);
        sum.intoArray(sums, sumSlot);
    }

    /**
     * {@link #keysOfWrittenBlocks} with min and max kept as doubles, a compare and a blend each
     * ({@link RowTotals#boundsDone} says when that is exact; the ftcs rows), into {@code bounds} at
     * {@code boundSlot}: as order keys they cost 14 instructions a vector with AVX2, which has no
     * 64-bit arithmetic shift, and the ftcs loop ran at 0.65x (docs/BENCHMARKS.md, "AVX2 machine").
     */
    public static void boundsOfWrittenBlocks(MemorySegment field, long at, int blocks, long firstMix, long[] words,
                                             double[] sums, double[] bounds, int slot, int sumSlot, int boundSlot) {
        DoubleVector lo = DoubleVector.fromArray(DOUBLES, bounds, boundSlot);
        DoubleVector hi = DoubleVector.fromArray(DOUBLES, bounds, boundSlot + RowTotals.LANES);
        LongVector check = LongVector.fromArray(LONGS, words, slot + 2 * RowTotals.LANES);
        DoubleVector sum = DoubleVector.fromArray(DOUBLES, sums, sumSlot);
        LongVector mix = LANE_MIX.add(firstMix);
        for (int i = 0; i < blocks; i++) {
            long cell = at + i * BLOCK_BYTES;
            DoubleVector v = DoubleVector.fromMemorySegment(DOUBLES, field, cell, LE);
            LongVector bits = LongVector.fromMemorySegment(LONGS, field, cell, LE); // no reinterpret (class comment)
            lo = lo.blend(v, v.compare(VectorOperators.LT, lo));
            hi = hi.blend(v, v.compare(VectorOperators.GT, hi));
            sum = sum.add(v);
            check = check.add(bits.lanewise(VectorOperators.XOR, mix));
            mix = mix.add(BLOCK_MIX);
        }
        lo.intoArray(bounds, boundSlot);
        hi.intoArray(bounds, boundSlot + RowTotals.LANES);
        check.intoArray(words, slot + 2 * RowTotals.LANES);
        sum.intoArray(sums, sumSlot);
    }

    /** Order keys of the values whose bits are {@code bits}: negative values get all but the sign bit flipped. */
    public static LongVector keys(LongVector bits) {
        return bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 63).lanewise(VectorOperators.LSHR, 1));
    }

}
