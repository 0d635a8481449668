package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What a sender does for each frame before the transport takes it; every transport's sender does
 * the same, so only the transport differs.
 */
enum SenderWork {
    /**
     * The frame already exists in the sender's private memory and is moved as it is: a stream sender
     * hands the same buffer to write(2) again; the segment writer copies it into the back buffer
     * (checksumming in the same pass). The segment pays one more trip through memory than a socket,
     * whose kernel copy streams through the cache: the pessimistic case for shared memory.
     */
    COPY("copy"),
    /**
     * The sender computes each frame where the transport will take it from, as the solver does: the
     * segment writer straight into the back buffer, a stream sender into the buffer it writes. Both
     * compute the frame checksum chunk by chunk while the chunk is in cache.
     */
    PRODUCE("produce");

    /** 16 KiB: a produced chunk is checksummed while it is still in L1. */
    private static final long CHUNK_CELLS = 2048;

    final String label;

    SenderWork(String label) {
        this.label = label;
    }

    /**
     * Writes frame {@code number}: cell i = number + i * 2^-20, cheap enough that the memory
     * traffic, not the arithmetic, dominates. Returns its checksum.
     */
    static long produce(MemorySegment frame, long number) {
        long cells = frame.byteSize() / Double.BYTES;
        long sum = 0;
        for (long first = 0; first < cells; first += CHUNK_CELLS) {
            long end = Math.min(cells, first + CHUNK_CELLS);
            for (long i = first; i < end; i++) {
                frame.setAtIndex(ValueLayout.JAVA_DOUBLE, i, number + i * 0x1p-20);
            }
            sum += FrameChecksum.partial(frame.asSlice(first * Double.BYTES, (end - first) * Double.BYTES), first,
                    end - first);
        }
        return sum;
    }
}
