package dev.heatgrid.segment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Child JVM: creates a segment with a group and prints its mode (run under a restrictive umask). Args: path group. */
public final class CreateMain {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        try (SegmentWriter ignored = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"),
                new CreateOptions(false, args[1]))) {
            System.out.println("MODE " + PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        }
    }
}
