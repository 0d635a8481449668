package dev.heatgrid.viewer;

import dev.heatgrid.segment.FrameCorruptedException;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.FrameReader;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Reads the newest consistent frame of one field straight from the read-only mapping, reduced to
 * blocks, without copying the frame: stamp, reduce and checksum in one pass, validate, then compare
 * the checksum with the frame header's. A torn read (the writer reused the buffer meanwhile) is
 * retried; a consistent frame whose checksum does not match is damage and is reported, never shown.
 */
public final class FrameSampler {
    /** Give up when the writer keeps overtaking us for this long (it would need more buffers). */
    private static final long MAX_READ_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** In-place reads lost to the writer before switching to copy-then-reduce for this frame. */
    private static final int IN_PLACE_TRIES = 3;

    private final BlockReducer reducer = new BlockReducer();
    private long tornReads;
    /** Private copy of one field, made only when in-place reads keep losing the race. */
    private MemorySegment copy;

    /**
     * Reduces field {@code f} of the newest frame into {@code out}; returns its header, or null if
     * nothing is published yet.
     *
     * @throws FrameCorruptedException the newest frame is consistent but fails its checksum
     * @throws dev.heatgrid.segment.SegmentGoneException the file was truncated under the mapping
     */
    public FrameHeader sample(FrameReader reader, int f, BlockGrid grid, Reduction reduction, double[] out)
            throws IOException {
        long started = System.nanoTime();
        int lost = 0;
        while (true) {
            reader.checkIntact(); // an fstat: far cheaper than the SIGBUS a truncated mapping would raise
            long stamp = reader.tryOptimisticRead();
            if (stamp == 0 && reader.generation() == 0) {
                return null;
            }
            if (stamp != 0) {
                FrameHeader header;
                long checksum;
                boolean copied = lost >= IN_PLACE_TRIES;
                try {
                    header = reader.header(stamp);
                    if (copied) {
                        // Overtaken while reducing in place (a writer publishing small frames faster than
                        // we reduce them): take the shortest possible read, a bare copy, and reduce that.
                        MemorySegment field = reader.field(stamp, f);
                        if (copy == null || copy.byteSize() != field.byteSize()) {
                            copy = Arena.ofAuto().allocate(field.byteSize(), Double.BYTES);
                        }
                        MemorySegment.copy(field, 0, copy, 0, field.byteSize());
                        checksum = 0;
                    } else {
                        checksum = reducer.reduce(reader.field(stamp, f), grid, reduction, out);
                    }
                } catch (InternalError fault) {
                    // The JDK's report of a fault in the mapping: name the truncation if that was it.
                    reader.checkIntact();
                    throw fault;
                }
                if (reader.validate(stamp)) {
                    if (copied) {
                        checksum = reducer.reduce(copy, grid, reduction, out);
                    }
                    verify(reader, f, stamp, header, checksum);
                    return header;
                }
                lost++;
            }
            tornReads++;
            if (System.nanoTime() - started > MAX_READ_NANOS) {
                throw new IOException("could not read a consistent frame of " + reader.path() + " within "
                        + TimeUnit.NANOSECONDS.toMillis(MAX_READ_NANOS) + " ms: the writer reuses each buffer before"
                        + " the viewer finishes reading it; create the segment with more buffers");
            }
            try {
                // Start the next try right after a publish, when the writer is furthest from that buffer.
                reader.awaitNewer(reader.generation(), 5, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading " + reader.path());
            }
        }
    }

    private static void verify(FrameReader reader, int f, long stamp, FrameHeader header, long checksum)
            throws FrameCorruptedException {
        if (header.generation() != stamp) {
            throw new FrameCorruptedException(reader.path(), stamp, "its frame header says generation "
                    + header.generation());
        }
        long expected = header.stats().get(f).checksum();
        if (expected != checksum) {
            throw new FrameCorruptedException(reader.path(), stamp, reader.layout().fields().get(f), expected, checksum);
        }
    }

    /** Reads thrown away because the writer overtook them. */
    long tornReads() {
        return tornReads;
    }
}
