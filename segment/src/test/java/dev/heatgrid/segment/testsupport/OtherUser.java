package dev.heatgrid.segment.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Running a child JVM as another real user (nobody, uid 65534) with {@code setpriv}: tests of what
 * one user's leftovers do to another need two uids. Only possible as root; tests abort otherwise.
 */
public final class OtherUser {
    public static final int UID = 65534;

    private OtherUser() {
    }

    /** Whether this JVM can start processes as another user. */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/setpriv"));
    }

    /** The command prefix that runs what follows as nobody. */
    public static List<String> prefix() {
        return List.of("/usr/bin/setpriv", "--reuid=" + UID, "--regid=" + UID, "--clear-groups", "--");
    }

    /**
     * JVM options giving the child {@code main}'s class path ({@link JvmProcess#classPath}) without what
     * only root may read (root's Maven repository): the project's own classes, which are all a child
     * main needs; and the compiler directives file JvmProcess names, which the JVM must read or it does
     * not start. They are copied to a world-readable temporary directory once per JVM, because the
     * checkout itself may not be readable by another user (a clone in a 0700 directory from mktemp -d,
     * or under /root: seen in a clean-clone CI run, where the child found no class at all).
     */
    public static synchronized List<String> jvmOptions(Class<?> main) throws IOException {
        if (readableCopy == null) {
            Path base = Files.createTempDirectory("heatgrid-other-user-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(base)));
            List<String> entries = new ArrayList<>();
            int n = 0;
            for (String entry : JvmProcess.classPath(main)) {
                Path from = Path.of(entry);
                if (entry.contains("/.m2/repository/") || !Files.exists(from)) {
                    continue;
                }
                Path to = base.resolve(n++ + (Files.isDirectory(from) ? "" : "-" + from.getFileName()));
                copyTree(from, to);
                entries.add(to.toString());
            }
            var options = new ArrayList<>(List.of("-cp", String.join(File.pathSeparator, entries)));
            String directives = System.getProperty("heatgrid.compiler.directives");
            if (directives != null) { // a later -XX:CompilerDirectivesFile replaces JvmProcess's
                Path copy = base.resolve("compiler-directives.json");
                Files.copy(Path.of(directives), copy);
                options.add("-XX:CompilerDirectivesFile=" + copy);
            }
            openToAll(base);
            readableCopy = List.copyOf(options);
        }
        return readableCopy;
    }

    private static List<String> readableCopy;

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** Directories rwxr-xr-x, files rw-r--r--, whatever the umask. */
    private static void openToAll(Path base) throws IOException {
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static void deleteTree(Path base) {
        try (Stream<Path> all = Files.walk(base)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    /** Gives a file (not following a link) to nobody. */
    public static void chown(Path file) throws Exception {
        Process chown = new ProcessBuilder("chown", "-h", UID + ":" + UID, file.toString()).inheritIO().start();
        if (chown.waitFor() != 0) {
            throw new IllegalStateException("chown -h " + file + " failed");
        }
    }
}
