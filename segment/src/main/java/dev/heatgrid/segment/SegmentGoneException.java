package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The mapped file was truncated or removed underneath a reader. The JDK reports an access to the
 * missing pages as an asynchronous {@link InternalError}; readers catch that, check the file and
 * raise this instead, so the caller can re-attach instead of dying.
 */
public final class SegmentGoneException extends IOException {
    private static final long serialVersionUID = 1L;

    public SegmentGoneException(Path file, String detail) {
        super("segment " + file + " truncated or removed (" + detail + ")");
    }
}
