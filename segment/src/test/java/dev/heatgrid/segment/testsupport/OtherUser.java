package dev.heatgrid.segment.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

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
     * JVM options giving the child this test's class path without what only root may read
     * (root's Maven repository): the project's own classes, which are all a child main needs.
     */
    public static List<String> classPath() {
        String readable = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.startsWith("/root/"))
                .collect(Collectors.joining(File.pathSeparator));
        return List.of("-cp", readable);
    }

    /** Gives a file (not following a link) to nobody. */
    public static void chown(Path file) throws Exception {
        Process chown = new ProcessBuilder("chown", "-h", UID + ":" + UID, file.toString()).inheritIO().start();
        if (chown.waitFor() != 0) {
            throw new IllegalStateException("chown -h " + file + " failed");
        }
    }
}
