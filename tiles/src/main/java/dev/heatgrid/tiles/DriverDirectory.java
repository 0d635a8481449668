package dev.heatgrid.tiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where this process's Aeron media drivers keep their files, and the clean-up of those a crashed
 * process left behind. A driver directory holds its term buffers (tens of MiB, in RAM on /dev/shm);
 * Aeron deletes it at a clean shutdown, but a SIGKILLed tile cannot. Naming each one after its
 * process ({@code heatgrid-aeron-PID-N}) lets the next driver started on the host remove the
 * directories of processes that no longer exist, as iceoryx2 cleans up after dead nodes.
 */
final class DriverDirectory {
    private static final String PREFIX = "heatgrid-aeron-";
    private static final System.Logger LOG = System.getLogger("dev.heatgrid.tiles");
    private static final AtomicInteger NEXT = new AtomicInteger();

    private DriverDirectory() {
    }

    /** A new directory name for a driver of this process; first removes what dead processes left. */
    static Path next() {
        Path base = base();
        sweepDead(base);
        return base.resolve(PREFIX + ProcessHandle.current().pid() + "-" + NEXT.getAndIncrement());
    }

    /** /dev/shm where there is one (Aeron's own choice on Linux: memory, not disk), else the temporary directory. */
    private static Path base() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** Removes the driver directories whose process has gone. A directory being removed by another sweeper is skipped. */
    static void sweepDead(Path base) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, PREFIX + "*")) {
            for (Path dir : dirs) {
                long pid = pidOf(dir.getFileName().toString());
                if (pid > 0 && ProcessHandle.of(pid).isEmpty() && Files.isDirectory(dir)) {
                    deleteTree(dir);
                    LOG.log(System.Logger.Level.INFO, "removed {0}: the Aeron files of process {1}, which has gone",
                            dir, Long.toString(pid));
                }
            }
        } catch (IOException e) {
            // Not ours to fail over: a directory we cannot list or remove only costs space.
        }
    }

    /** The pid in {@code heatgrid-aeron-PID-N}, or -1 if the name is not one of ours. */
    static long pidOf(String name) {
        if (!name.startsWith(PREFIX)) {
            return -1;
        }
        String rest = name.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
