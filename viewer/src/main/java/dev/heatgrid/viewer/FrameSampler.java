package dev.heatgrid.viewer;

import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.FrameVisitor;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reduces one field of the newest consistent frame to blocks, straight from the read-only mapping
 * and without copying the frame: a visit of {@link FrameReader#read}, which owns the retries, the
 * time limit and the checksum comparison. The reduction computes the field's checksum in the same
 * pass; a writer that keeps overtaking the in-place pass makes the visit fall back to a bare copy.
 *
 * <p>After a frame whose in-place pass the writer overtook, the next ones are copied first
 * ({@link CopyFirstRule}): measured, a live 1024² ftcs run two buffers deep (a reader has ~0.5 ms
 * before the writer comes back to a buffer) cost the web server 5-8 ms of CPU per frame, with three
 * lost passes each, and 1-2 ms copying first (docs/BENCHMARKS.md, "Browsers").
 */
public final class FrameSampler {
    /** In-place reads lost to the writer before switching to copy-then-reduce for this frame. */
    private static final int IN_PLACE_TRIES = 3;

    private final BlockReducer reducer = new BlockReducer();
    private final Visit visit = new Visit();
    private long tornReads;
    private final CopyFirstRule copyFirst = new CopyFirstRule();

    /**
     * Reduces field {@code f} of the newest frame into {@code out}; returns its header, or null if
     * nothing is published yet.
     *
     * @throws dev.heatgrid.segment.FrameCorruptedException the newest frame is consistent but fails its checksum
     * @throws dev.heatgrid.segment.FrameOvertakenException  the writer kept overtaking the read
     * @throws dev.heatgrid.segment.SegmentGoneException     the file was truncated under the mapping
     */
    public FrameHeader sample(FrameReader reader, int f, BlockGrid grid, Reduction reduction, double[] out)
            throws IOException {
        visit.field = f;
        visit.grid = grid;
        visit.reduction = reduction;
        visit.out = out;
        visit.copyFirst = copyFirst.copyNext();
        visit.overtakenInPlace = false;
        long retriesBefore = reader.retries();
        try {
            FrameHeader header = reader.read(visit);
            copyFirst.read(visit.overtakenInPlace);
            return header;
        } finally {
            tornReads += reader.retries() - retriesBefore;
        }
    }

    /** Reads thrown away because the writer overtook them. */
    long tornReads() {
        return tornReads;
    }

    private final class Visit implements FrameVisitor<FrameHeader> {
        int field;
        BlockGrid grid;
        Reduction reduction;
        double[] out;
        /** Private copy of the field, made only when in-place reads keep losing the race. */
        private MemorySegment copy;
        private boolean copied;
        private long checksum;
        /** Copy at the first try, not only after {@link #IN_PLACE_TRIES} lost ones ({@link CopyFirstRule}). */
        boolean copyFirst;
        /** Some in-place pass of this read was overtaken by the writer. */
        boolean overtakenInPlace;

        @Override
        public void visit(FrameHeader header, Stamped frame, int lost) {
            MemorySegment data = frame.field(field);
            overtakenInPlace |= lost > 0 && !copyFirst;
            copied = copyFirst || lost >= IN_PLACE_TRIES;
            if (copied) {
                // Overtaken while reducing in place (a writer publishing small frames faster than we
                // reduce them): take the shortest possible read, a bare copy, and reduce that after.
                if (copy == null || copy.byteSize() != data.byteSize()) {
                    copy = Arena.ofAuto().allocate(data.byteSize(), Double.BYTES);
                }
                MemorySegment.copy(data, 0, copy, 0, data.byteSize());
            } else {
                checksum = reducer.reduce(data, grid, reduction, out);
            }
        }

        @Override
        public boolean checksummed(int f) {
            return f == field;
        }

        @Override
        public long checksum(int f) {
            if (copied) {
                checksum = reducer.reduce(copy, grid, reduction, out);
                copied = false;
            }
            return checksum;
        }

        @Override
        public FrameHeader result(FrameHeader header) {
            return header;
        }
    }
}
