package dev.heatgrid.viewer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes an output file (a picture, a grid as CSV or NumPy) so that it appears under its name only
 * when complete: the bytes go to a temporary file in the same folder, which is then renamed over the
 * name. A movie maker or a web page polling the file never reads half of it, and a full disk leaves
 * nothing behind (not a 0-byte file), only the error.
 */
public final class AtomicFileWriter {
    /** What goes into the file. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFileWriter() {
    }

    /** Whether {@code e} (or what it wraps: image writers wrap the real cause) is ENOSPC. */
    private static boolean isNoSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left")) {
                return true;
            }
        }
        return false;
    }

    /** Writes {@code body} to {@code file}, replacing what was there only once all of it is written. */
    public static void write(Path file, Body body) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "cannot write " + file + ": folder " + dir
                    + " does not exist");
        }
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                body.writeTo(out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            if (isNoSpace(e)) {
                throw new IOException("cannot write " + file + ": the file system holding it is full", e);
            }
            throw e;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
