package dev.heatgrid.segment;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns what a user types into a segment path: a bare name ({@code plate}) means
 * {@code /dev/shm/plate.hgrid} on Linux and {@code <java.io.tmpdir>/plate.hgrid} elsewhere, and a bare
 * name that already ends in {@code .hgrid} is not extended again ({@code plate.hgrid} is the same
 * segment); anything containing a path separator is a path as given.
 */
public final class SegmentNames {
    /** File name extension of segments. */
    public static final String EXTENSION = ".hgrid";

    private SegmentNames() {
    }

    /** The directory bare names live in: /dev/shm where it exists (tmpfs), else the temp directory. */
    public static Path defaultDirectory() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    public static Path resolve(String nameOrPath) {
        if (nameOrPath.isEmpty()) {
            throw new IllegalArgumentException("segment name is empty");
        }
        if (nameOrPath.indexOf('/') >= 0 || nameOrPath.indexOf(java.io.File.separatorChar) >= 0) {
            return Path.of(nameOrPath);
        }
        if (nameOrPath.equals(".") || nameOrPath.equals("..")) {
            throw new IllegalArgumentException("'" + nameOrPath + "' is not a segment name");
        }
        return defaultDirectory().resolve(nameOrPath.endsWith(EXTENSION) ? nameOrPath : nameOrPath + EXTENSION);
    }
}
