package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** The checksum loop as the format defines it, one cell at a time. */
final class ScalarChecksumLoop implements ChecksumLoop {
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Override
    public long partial(MemorySegment data, long firstCell, long count) {
        long sum = 0;
        long mix = firstCell * FrameChecksum.MIX;
        for (long i = 0; i < count; i++) {
            sum += data.getAtIndex(WORD, i) ^ mix;
            mix += FrameChecksum.MIX;
        }
        return sum;
    }
}
