package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.file.Path;

/** A segment has no running writer: nobody would take a steering command. */
public final class NoWriterException extends IOException {
    private static final long serialVersionUID = 1L;

    private final WriterStatus writer;

    public NoWriterException(Path file, WriterStatus writer) {
        super("segment " + file + " has no running writer" + (writer.pid() == 0 ? "" : " (pid " + writer.pid() + " "
                + switch (writer.liveness()) {
                    case EXITED -> "has finished";
                    case GONE -> "is gone";
                    default -> "has not started";
                } + ")") + ": nobody would apply the command");
        this.writer = writer;
    }

    public WriterStatus writer() {
        return writer;
    }
}
