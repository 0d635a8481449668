package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;

/**
 * What a consistent read ({@link FrameReader#read}) does with the newest frame. The reader owns the
 * loop: it takes a stamp, calls {@link #visit}, validates the stamp, compares the checksums the
 * visit computed with the frame header's, retries when the writer overtook the visit, and gives up
 * with a clear error after its time limit. A visitor only reads.
 *
 * <pre>{@code
 * FrameHeader header = reader.read(new FrameVisitor<FrameHeader>() {
 *     public void visit(FrameHeader h, Stamped frame, int lost) { }          // the header is enough
 *     public FrameHeader result(FrameHeader h) { return h; }
 * });
 * }</pre>
 *
 * @param <R> what a successful read returns
 */
public interface FrameVisitor<R> {
    /**
     * The frame under a stamp, valid only until the reader validates it: its fields, read-only and
     * in place in the mapping.
     */
    interface Stamped {
        /** The generation the stamp stands for. */
        long generation();

        /** Field {@code f}, {@code nx * ny} float64, read-only, possibly being overwritten: copy or reduce, then let the reader validate. */
        MemorySegment field(int f);
    }

    /**
     * Reads the frame. Runs between the stamp and its validation, so it may see torn data: it must
     * not throw on garbage, and should be short (the writer may reuse the buffer meanwhile).
     *
     * @param header the frame header, read under the same stamp
     * @param frame  the fields
     * @param lost   how many earlier visits of this read the writer overtook (a visitor may switch to
     *               a quicker way, e.g. a bare copy, after a few)
     */
    void visit(FrameHeader header, Stamped frame, int lost);

    /** Whether the last visit computed the checksum (docs/FORMAT.md §3.1) of field {@code f}: then it is verified. */
    default boolean checksummed(int f) {
        return false;
    }

    /** The checksum of field {@code f} over what the last (validated) visit read; called only if {@link #checksummed}. */
    default long checksum(int f) {
        throw new UnsupportedOperationException("this visit computes no checksums");
    }

    /** The result of a validated visit whose checksums matched. */
    R result(FrameHeader header);
}
