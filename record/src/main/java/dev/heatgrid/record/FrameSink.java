package dev.heatgrid.record;

import java.io.IOException;

/** Where recorded frames go: one file format. Frames arrive in increasing generation order. */
public interface FrameSink extends AutoCloseable {
    /** Appends a frame; when this returns the frame is in the file (a crash afterwards keeps it). */
    void append(RecordedFrame frame) throws IOException;

    /** Frames appended so far. */
    long frames();

    /** Finishes the file(s); a sink that was never appended to still leaves valid, empty files. */
    @Override
    void close() throws IOException;
}
