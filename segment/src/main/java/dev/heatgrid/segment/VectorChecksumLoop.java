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
 */
final class VectorChecksumLoop implements ChecksumLoop {
    /** static final, so C2 treats the shape as a constant and drops bounds checks. */
    private static final VectorSpecies<Long> SPECIES = LongVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final LongVector LANE_MIX = LongVector.zero(SPECIES).addIndex(1).mul(FrameChecksum.MIX);

    @Override
    public long partial(MemorySegment data, long firstCell, long count) {
        int lanes = SPECIES.length();
        LongVector step = LongVector.broadcast(SPECIES, FrameChecksum.MIX * lanes);
        LongVector mix = LANE_MIX.add(firstCell * FrameChecksum.MIX);
        LongVector sum = LongVector.zero(SPECIES);
        long bound = count - count % lanes;
        long i = 0;
        for (; i < bound; i += lanes) {
            // Load as doubles and reinterpret the bits: frames and their copies are double[] or
            // native memory, and a long-typed load from a double[]-backed segment misses the intrinsic.
            LongVector words = DoubleVector.fromMemorySegment(DOUBLES, data, i * Long.BYTES, ByteOrder.LITTLE_ENDIAN)
                    .reinterpretAsLongs();
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
}
