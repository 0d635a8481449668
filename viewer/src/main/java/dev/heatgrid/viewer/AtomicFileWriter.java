package dev.heatgrid.viewer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes an output file (a picture, a grid as CSV or NumPy) so that it appears under its name only
 * when complete: the bytes go to a temporary file in the same folder, which is then renamed over the
 * name. A movie maker or a web page polling the file never reads half of it, and a full disk leaves
 * nothing behind (not a 0-byte file), only the error. The file ends up with the mode a file written
 * in place would have: a new one what the umask gives, a replaced one the mode it had.
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
        Path temp = createTemporary(target);
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                body.writeTo(out);
            }
            keepMode(target, temp);
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

    /** Whether {@code file} is one of the temporary files {@link #write} makes for {@code target}. */
    public static boolean isTemporaryFor(Path target, Path file) {
        Path t = target.toAbsolutePath();
        Path f = file.toAbsolutePath();
        String name = f.getFileName() == null ? "" : f.getFileName().toString();
        return Objects.equals(f.getParent(), t.getParent()) && name.startsWith(temporaryPrefix(t))
                && name.endsWith(".part");
    }

    private static String temporaryPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    /**
     * A new file beside {@code target} under a name no one else uses, created as any file is (mode
     * 0666 less the umask): not {@code Files.createTempFile}, whose 0600 the rename would carry over.
     */
    private static Path createTemporary(Path target) throws IOException {
        while (true) {
            String random = Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36);
            Path temp = target.resolveSibling(temporaryPrefix(target) + random + ".part");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException taken) {
                // another writer's temporary file: draw another name
            }
        }
    }

    /** Gives {@code temp} the permissions of the file it replaces, if there is one (a file rewritten in place keeps them). */
    private static void keepMode(Path target, Path temp) throws IOException {
        PosixFileAttributeView old = Files.getFileAttributeView(target, PosixFileAttributeView.class);
        if (old != null && Files.isRegularFile(target)) {
            Files.setPosixFilePermissions(temp, old.readAttributes().permissions());
        }
    }
}
