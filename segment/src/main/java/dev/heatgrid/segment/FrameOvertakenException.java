package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A reader could not take a consistent read of the newest frame within its time limit because the
 * writer kept publishing over the buffer being read. Nothing is wrong with the segment: the reader is
 * slower than the writer's buffer reuse (a busy machine, a big frame, few buffers). Not corruption.
 */
public final class FrameOvertakenException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int tries;
    private final long millis;

    public FrameOvertakenException(Path file, int tries, long millis, int buffers) {
        super("could not read a consistent frame of segment " + file + " within " + millis + " ms: the writer"
                + " published over the buffer being read in all " + tries + " tries (with " + buffers + " buffers a"
                + " reader has " + (buffers - 1) + " frame time(s) for each read; more buffers give it more)");
        this.tries = tries;
        this.millis = millis;
    }

    /** Reads started and overtaken. */
    public int tries() {
        return tries;
    }

    /** How long the reader kept trying. */
    public long millis() {
        return millis;
    }
}
