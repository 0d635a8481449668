package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Something other than a regular file is at a segment's name: a symbolic link, a FIFO, a socket, a
 * device or a directory. heatgrid never opens those as segments (a link could lead anywhere; opening
 * a FIFO would block).
 */
public final class NotASegmentFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Path file;

    public NotASegmentFileException(Path file, String what) {
        super(file + " is " + what);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
