package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The checksum loop with the Vector API: lane k of a vector starting at cell i carries the mix of
 * cell i + k, and every step advances all lanes by {@code lanes * MIX}. Only loaded when the JVM
 * has {@code jdk.incubator.vector} (see {@link ChecksumLoop#best()}).
 *
 * <p>Native memory (mappings, off-heap frames: everything a solver checksums) is loaded as longs.
 * Only heap arrays of doubles (a reader's copies) are loaded as doubles and reinterpreted, because a
 * long-typed load from a double[] misses the intrinsic. Reinterpreting is best kept out of a solver
 * JVM: until C2 compiles it, the Vector API reinterprets by storing the vector into a byte[]-backed
 * segment, and that store records a heap segment in the shared type profile of every
 * {@code DoubleVector.intoMemorySegment}, including the stencil's (docs/BENCHMARKS.md, "JIT sensitivity").
 */
final class VectorChecksumLoop implements ChecksumLoop {
    /** static final, so C2 treats the shape as a constant and drops bounds checks. */
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(LE);
    private static final LongVector LANE_MIX = LongVector.zero(SPECIES).addIndex(1).mul(FrameChecksum.MIX);

    @Override
    public long partial(MemorySegment data, long firstCell, long count) {
        int lanes = SPECIES.length();
        LongVector step = LongVector.broadcast(SPECIES, FrameChecksum.MIX * lanes);
        LongVector mix = LANE_MIX.add(firstCell * FrameChecksum.MIX);
        LongVector sum = LongVector.zero(SPECIES);
        long bound = count - count % lanes;
        long i = 0;
        if (data.isNative()) {
            for (; i < bound; i += lanes) {
                LongVector words = LongVector.fromMemorySegment(SPECIES, data, i * Long.BYTES, LE);
                sum = sum.add(words.lanewise(VectorOperators.XOR, mix));
                mix = mix.add(step);
            }
        } else {
            for (; i < bound; i += lanes) {
                LongVector words = DoubleVector.fromMemorySegment(DOUBLES, data, i * Long.BYTES, LE).reinterpretAsLongs();
                sum = sum.add(words.lanewise(VectorOperators.XOR, mix));
                mix = mix.add(step);
            }
        }
        long total = sum.reduceLanes(VectorOperators.ADD);
        long tailMix = (firstCell + i) * FrameChecksum.MIX;
        for (; i < count; i++) {
            total += data.getAtIndex(WORD, i) ^ tailMix;
            tailMix += FrameChecksum.MIX;
        }
        return total;
    }
}
