package dev.heatgrid.solver.engine;

import dev.heatgrid.segment.FrameChecksum;
import dev.heatgrid.segment.VectorFaultMark;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link RowScan} with the Vector API: each block of {@link RowTotals#LANES} cells is one vector
 * (AVX-512) or two (AVX2), so a vector lane is a lane of the sum. min and max are kept as order keys
 * ({@link RowTotals#orderKey}, exact for -0.0 and NaN like the scalar scan). Double compares would
 * cost less but cannot tell -0.0 from +0.0, and reading such units again made whole runs of a
 * hotspot, whose units mostly hold zeros, 2-3x slower.
 *
 * <p>AVX2's two-vector loop makes a key with a compare, a blend and an exclusive or (the key's shift
 * form takes 14 instructions a vector there: AVX2 has no 64-bit arithmetic shift) and keeps the
 * running min and max with a compare and a blend each (it has no 64-bit min or max either). The
 * AVX-512 loop is bound by its vector instructions, about ten a block, so it uses what AVX-512 has:
 * the key is an exclusive or under the sign's mask, and min and max are lanewise MIN and MAX
 * ({@code vpminsq}, {@code vpmaxsq}); whole 128² runs went 1.10x and then 1.03x as fast
 * (docs/BENCHMARKS.md, "Back on the Sapphire Rapids host").
 *
 * <p>Loaded only when the JVM has jdk.incubator.vector; where a block is not one or two vectors it
 * defers to the scalar loop.
 */
final class VectorRowScan implements RowScan {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** All but the sign bit: what a negative value's bits are flipped with to make its order key. */
    private static final long FLIP = Long.MAX_VALUE;
    /** Where a running minimum starts: the key of +infinity. Broadcast in the loops, never a static vector (it would be boxed). */
    private static final long NO_MIN = RowTotals.orderKey(Double.doubleToRawLongBits(Double.POSITIVE_INFINITY));
    /** Where a running maximum starts: the key of -infinity. */
    private static final long NO_MAX = RowTotals.orderKey(Double.doubleToRawLongBits(Double.NEGATIVE_INFINITY));

    @Override
    public void scan(MemorySegment field, int u, RowTotals totals, int f) {
        if (!VectorRowParts.FITS) {
            RowScan.scalar().scan(field, u, totals, f);
            return;
        }
        long first = (long) totals.firstRow(u) * totals.nx();
        long n = (long) (totals.endRow(u) - totals.firstRow(u)) * totals.nx();
        long blocks = n / RowTotals.LANES;
        if (VectorRowParts.PARTS == 1) {
            oneVectorBlocks(field, first, n, blocks, totals, f, u);
        } else {
            twoVectorBlocks(field, first, n, blocks, totals, f, u);
        }
    }

    private static void oneVectorBlocks(MemorySegment field, long first, long n, long blocks, RowTotals totals, int f,
                                        int u) {
        LongVector lo = LongVector.broadcast(VectorRowParts.LONGS, NO_MIN);
        LongVector hi = LongVector.broadcast(VectorRowParts.LONGS, NO_MAX);
        DoubleVector sum = DoubleVector.zero(VectorRowParts.DOUBLES);
        LongVector check = LongVector.zero(VectorRowParts.LONGS);
        LongVector mix = VectorRowParts.LANE_MIX.add(first * FrameChecksum.MIX);
        if (blocks > 0) { // a truncated file must end this method with an exception (VectorFaultMark)
            VectorFaultMark.on(field, first * Double.BYTES);
        }
        for (long b = 0; b < blocks; b++) {
            long at = (first + b * RowTotals.LANES) * Double.BYTES;
            DoubleVector v = DoubleVector.fromMemorySegment(VectorRowParts.DOUBLES, field, at, LE);
            LongVector bits = LongVector.fromMemorySegment(VectorRowParts.LONGS, field, at, LE); // no reinterpret (VectorRowParts)
            // The order keys (RowTotals#orderKey), written out here: no vector crosses a method call.
            LongVector key = bits.lanewise(VectorOperators.XOR, FLIP, bits.compare(VectorOperators.LT, 0));
            lo = lo.lanewise(VectorOperators.MIN, key);
            hi = hi.lanewise(VectorOperators.MAX, key);
            sum = sum.add(v);
            check = check.add(bits.lanewise(VectorOperators.XOR, mix));
            mix = mix.add(VectorRowParts.BLOCK_MIX);
        }
        double total = 0.0;
        for (int j = 0; j < RowTotals.LANES; j++) {
            total += sum.lane(j);
        }
        long least = NO_MIN;
        long most = NO_MAX;
        for (int j = 0; j < RowTotals.LANES; j++) { // lane by lane: a long MIN or MAX reduction allocated (not intrinsified on AVX2)
            least = Math.min(least, lo.lane(j));
            most = Math.max(most, hi.lane(j));
        }
        ScalarRowScan.tail(field, first + blocks * RowTotals.LANES, first + n, least, most, total,
                check.reduceLanes(VectorOperators.ADD), totals, f, u);
    }

    private static void twoVectorBlocks(MemorySegment field, long first, long n, long blocks, RowTotals totals, int f,
                                        int u) {
        LongVector lo0 = LongVector.broadcast(VectorRowParts.LONGS, NO_MIN);
        LongVector lo1 = lo0;
        LongVector hi0 = LongVector.broadcast(VectorRowParts.LONGS, NO_MAX);
        LongVector hi1 = hi0;
        DoubleVector sum0 = DoubleVector.zero(VectorRowParts.DOUBLES);
        DoubleVector sum1 = sum0;
        LongVector check0 = LongVector.zero(VectorRowParts.LONGS);
        LongVector check1 = check0;
        int half = VectorRowParts.VECTOR_LANES;
        LongVector mix0 = VectorRowParts.LANE_MIX.add(first * FrameChecksum.MIX);
        LongVector mix1 = VectorRowParts.LANE_MIX.add((first + half) * FrameChecksum.MIX);
        LongVector none = LongVector.zero(VectorRowParts.LONGS);
        if (blocks > 0) { // a truncated file must end this method with an exception (VectorFaultMark)
            VectorFaultMark.on(field, first * Double.BYTES);
        }
        for (long b = 0; b < blocks; b++) {
            long at = (first + b * RowTotals.LANES) * Double.BYTES;
            long at1 = at + (long) half * Double.BYTES;
            DoubleVector v0 = DoubleVector.fromMemorySegment(VectorRowParts.DOUBLES, field, at, LE);
            DoubleVector v1 = DoubleVector.fromMemorySegment(VectorRowParts.DOUBLES, field, at1, LE);
            LongVector bits0 = LongVector.fromMemorySegment(VectorRowParts.LONGS, field, at, LE);
            LongVector bits1 = LongVector.fromMemorySegment(VectorRowParts.LONGS, field, at1, LE);
            // The order keys (RowTotals#orderKey), written out here: no vector crosses a method call.
            LongVector key0 = bits0.lanewise(VectorOperators.XOR, none.blend(FLIP, bits0.compare(VectorOperators.LT, 0)));
            LongVector key1 = bits1.lanewise(VectorOperators.XOR, none.blend(FLIP, bits1.compare(VectorOperators.LT, 0)));
            lo0 = lo0.blend(key0, key0.compare(VectorOperators.LT, lo0));
            lo1 = lo1.blend(key1, key1.compare(VectorOperators.LT, lo1));
            hi0 = hi0.blend(key0, key0.compare(VectorOperators.GT, hi0));
            hi1 = hi1.blend(key1, key1.compare(VectorOperators.GT, hi1));
            sum0 = sum0.add(v0);
            sum1 = sum1.add(v1);
            check0 = check0.add(bits0.lanewise(VectorOperators.XOR, mix0));
            check1 = check1.add(bits1.lanewise(VectorOperators.XOR, mix1));
            mix0 = mix0.add(VectorRowParts.BLOCK_MIX);
            mix1 = mix1.add(VectorRowParts.BLOCK_MIX);
        }
        double total = 0.0;
        for (int j = 0; j < half; j++) {
            total += sum0.lane(j);
        }
        for (int j = 0; j < half; j++) {
            total += sum1.lane(j);
        }
        long least = NO_MIN;
        long most = NO_MAX;
        for (int j = 0; j < half; j++) { // lane by lane: a long MIN or MAX reduction allocated (not intrinsified on AVX2)
            least = Math.min(least, Math.min(lo0.lane(j), lo1.lane(j)));
            most = Math.max(most, Math.max(hi0.lane(j), hi1.lane(j)));
        }
        ScalarRowScan.tail(field, first + blocks * RowTotals.LANES, first + n, least, most, total,
                check0.reduceLanes(VectorOperators.ADD) + check1.reduceLanes(VectorOperators.ADD), totals, f, u);
    }
}
