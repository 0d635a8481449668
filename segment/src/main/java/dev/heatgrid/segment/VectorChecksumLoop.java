package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The checksum loop with the Vector API: lane k of a vector starting at cell i carries the mix of
 * cell i + k, and every step advances all lanes by {@code lanes * MIX}. Only loaded when the JVM
 * has {@code jdk.incubator.vector} (see {@link ChecksumLoop#best()}).
 *
 * <p>Native memory (mappings, off-heap frames: everything a solver checksums) is loaded as longs.
 * Heap memory (a reader's copies, which a reader in the solver's JVM makes too) never goes through
 * the Vector API: a heap segment passed to {@code DoubleVector.fromMemorySegment} is recorded in the
 * type profile that the stencil's loads share, and a reinterpretation, until C2 compiles it, stores
 * into a byte[]-backed segment, recorded in the profile of the stencil's stores; either way C2 then
 * compiled the stencil with a type switch per access, 3.2x slower when the reader checksummed first
 * ({@code JitSensitivityBenchmark}, before/heap; docs/BENCHMARKS.md, "JIT sensitivity"). A heap
 * array of doubles is summed one value at a time straight from the array.
 */
final class VectorChecksumLoop implements ChecksumLoop {
    /** static final, so C2 treats the shape as a constant and drops bounds checks. */
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    private static final LongVector LANE_MIX = LongVector.zero(SPECIES).addIndex(1).mul(FrameChecksum.MIX);

    private static final ChecksumLoop SCALAR = new ScalarChecksumLoop();

    @Override
    public long partial(MemorySegment data, long firstCell, long count) {
        if (!data.isNative()) { // heap memory never meets the Vector API (class comment)
            if (data.heapBase().orElse(null) instanceof double[] values && data.address() % Double.BYTES == 0) {
                return heapDoubles(values, (int) (data.address() / Double.BYTES), firstCell, count);
            }
            return SCALAR.partial(data, firstCell, count);
        }
        int lanes = SPECIES.length();
        LongVector step = LongVector.broadcast(SPECIES, FrameChecksum.MIX * lanes);
        LongVector mix = LANE_MIX.add(firstCell * FrameChecksum.MIX);
        LongVector sum = LongVector.zero(SPECIES);
        long bound = count - count % lanes;
        long i = 0;
        if (bound > 0) { // a truncated file must end this method with an exception (VectorFaultMark)
            VectorFaultMark.on(data, 0);
        }
        for (; i < bound; i += lanes) {
            LongVector words = LongVector.fromMemorySegment(SPECIES, data, i * Long.BYTES, LE);
            sum = sum.add(words.lanewise(VectorOperators.XOR, mix));
            mix = mix.add(step);
        }
        long total = sum.reduceLanes(VectorOperators.ADD);
        long tailMix = (firstCell + i) * FrameChecksum.MIX;
        for (; i < count; i++) {
            total += data.getAtIndex(WORD, i) ^ tailMix;
            tailMix += FrameChecksum.MIX;
        }
        return total;
    }

    /**
     * Cells {@code firstCell ..} of a heap array of doubles from index {@code at}: plain Java, see the
     * class comment. An int loop bound (a long one is not a counted loop to C2: no unrolling, a range
     * check per value) and four sums in flight: 1.9x the speed of one sum under a long bound
     * (docs/BENCHMARKS.md, "Issue 8 on the AVX2 host").
     */
    private static long heapDoubles(double[] values, int at, long firstCell, long count) {
        long mix = firstCell * FrameChecksum.MIX;
        int end = at + Math.toIntExact(count);
        int i = at;
        long t0 = 0;
        long t1 = 0;
        long t2 = 0;
        long t3 = 0;
        for (; i < end - 3; i += 4) {
            t0 += Double.doubleToRawLongBits(values[i]) ^ mix;
            t1 += Double.doubleToRawLongBits(values[i + 1]) ^ (mix + FrameChecksum.MIX);
            t2 += Double.doubleToRawLongBits(values[i + 2]) ^ (mix + 2 * FrameChecksum.MIX);
            t3 += Double.doubleToRawLongBits(values[i + 3]) ^ (mix + 3 * FrameChecksum.MIX);
            mix += 4 * FrameChecksum.MIX;
        }
        long total = t0 + t1 + t2 + t3;
        for (; i < end; i++) {
            total += Double.doubleToRawLongBits(values[i]) ^ mix;
            mix += FrameChecksum.MIX;
        }
        return total;
    }
}
