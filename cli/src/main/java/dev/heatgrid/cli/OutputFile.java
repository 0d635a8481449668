package dev.heatgrid.cli;

import dev.heatgrid.viewer.AtomicFileWriter;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --out FILE}: always one file, whose format its extension names. An extension the command
 * does not write is refused before any work (a PNG never lands in {@code x.jpg}), and a file that
 * cannot be written is reported with its path and the reason, not as a bare "no such file".
 *
 * @param option the option's name, for messages
 * @param path   the file
 * @param format its format: the extension, lower case, without the dot
 */
record OutputFile(String option, Path path, String format) {
    /** The output of a file-producing step, which may fail with an I/O error about {@link #path}. */
    interface Write<T> {
        T run() throws IOException, InterruptedException;
    }

    /** Checks {@code path} against the formats the command writes and its directory; exits 2 if wrong. */
    static OutputFile of(String option, Path path, List<String> formats) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        String allowed = String.join(", ", formats.stream().map(f -> "." + f).toList());
        if (!formats.contains(extension)) {
            throw new UsageException(option + ": '" + path + "' " + (extension.isEmpty() ? "has no extension"
                    : "ends in ." + extension) + "; the format follows the extension and this command writes "
                    + allowed);
        }
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException(option + ": directory " + parent + " does not exist");
        }
        if (Files.isDirectory(path)) {
            throw new UsageException(option + ": " + path + " is a directory; give a file name ending in " + allowed);
        }
        return new OutputFile(option, path, extension);
    }

    /** Runs {@code write}, turning a failure to create or write {@link #path} into a message naming it. */
    <T> T write(Write<T> write) throws IOException, InterruptedException {
        try {
            return write.run();
        } catch (FileSystemException e) {
            if (!concernsOutput(e)) {
                throw e;
            }
            throw new IOException("cannot write " + path + ": " + reason(e), e);
        }
    }

    /**
     * Whether the failure is about the output file or the temporary file it is written through, not
     * about another file in its directory (the segment read, which may well sit beside it).
     */
    private boolean concernsOutput(FileSystemException e) {
        if (e.getFile() == null) {
            return false;
        }
        Path file = Path.of(e.getFile()).toAbsolutePath();
        return file.equals(path.toAbsolutePath()) || AtomicFileWriter.isTemporaryFor(path, file);
    }

    private String reason(FileSystemException e) {
        Path parent = path.toAbsolutePath().getParent();
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException && parent != null && Files.isDirectory(parent)) {
            String type;
            try {
                type = Files.getFileStore(parent).type();
            } catch (IOException unknown) {
                type = "unknown";
            }
            return "the directory " + parent + " takes no new files (file system type " + type + ")";
        }
        return e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
    }
}
