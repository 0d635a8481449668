package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A frame that was consistent (its sequence word did not move while it was read) but whose field
 * data does not match the checksum in its header: the segment was damaged, not torn. Never
 * returned as a good frame.
 */
public final class FrameCorruptedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long generation;

    public FrameCorruptedException(Path file, long generation, String field, long expected, long actual) {
        super(String.format("segment %s: frame of generation %d, field '%s': checksum %016x in the frame header"
                + " but %016x in the data", file, generation, field, expected, actual));
        this.generation = generation;
    }

    public FrameCorruptedException(Path file, long generation, String problem) {
        super("segment " + file + ": frame of generation " + generation + ": " + problem);
        this.generation = generation;
    }

    public long generation() {
        return generation;
    }
}
