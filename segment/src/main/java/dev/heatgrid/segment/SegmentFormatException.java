package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid segment, or one this reader cannot read. The message always names the
 * file and the offending field, so a user can tell a wrong path from a damaged or foreign file.
 */
public final class SegmentFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Path file;
    private final String field;

    public SegmentFormatException(Path file, String field, String problem) {
        super(file + ": " + field + ": " + problem);
        this.file = file;
        this.field = field;
    }

    /** The file that failed validation. */
    public Path file() {
        return file;
    }

    /** The header field (or "file size", "magic", ...) that failed validation. */
    public String field() {
        return field;
    }
}
