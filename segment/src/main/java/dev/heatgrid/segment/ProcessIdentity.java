package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process named so that a reused pid is not mistaken for it: its pid plus a start-time token.
 * On Linux the token is field 22 of {@code /proc/PID/stat} (start time in clock ticks after boot),
 * which any language can read; elsewhere it is the start instant in epoch milliseconds.
 *
 * <p>All processes sharing a segment must see the same pids (one pid namespace), as with LMDB.
 *
 * @param pid        the process id
 * @param startToken when the process started, in the platform unit above
 */
public record ProcessIdentity(long pid, long startToken) {
    private static final boolean PROC_FS = Files.isReadable(Path.of("/proc/self/stat"));
    private static final ProcessIdentity CURRENT = of(ProcessHandle.current().pid())
            .orElseGet(() -> new ProcessIdentity(ProcessHandle.current().pid(), 0));

    public static ProcessIdentity current() {
        return CURRENT;
    }

    /** The identity of a live process, or empty if no such process is running. */
    public static Optional<ProcessIdentity> of(long pid) {
        return startTokenOf(pid).map(token -> new ProcessIdentity(pid, token));
    }

    /**
     * The lock word's form of this identity: pid in the high 32 bits, the low 32 bits of the start
     * token in the low half. Never 0 for a real process (pid 0 is not a user process).
     */
    public long lockToken() {
        return (pid << 32) | (startToken & 0xFFFF_FFFFL);
    }

    /** Pid encoded in a lock token. */
    public static long pidOfLockToken(long token) {
        return token >>> 32;
    }

    /**
     * Whether the process this token names is still running: same pid, same start time, and not
     * a zombie (a killed child its parent has not reaped yet is dead for our purposes).
     */
    public static boolean isLockTokenAlive(long token) {
        long pid = pidOfLockToken(token);
        return startTokenOf(pid).map(start -> (start & 0xFFFF_FFFFL) == (token & 0xFFFF_FFFFL)).orElse(false);
    }

    /** Whether this exact process (pid and full start token) is still running. */
    public boolean isAlive() {
        return startTokenOf(pid).map(start -> start == startToken).orElse(false);
    }

    private static Optional<Long> startTokenOf(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        if (PROC_FS) {
            return procStartTicks(pid);
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .flatMap(handle -> handle.info().startInstant())
                .map(instant -> instant.toEpochMilli());
    }

    private static Optional<Long> procStartTicks(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
        // "pid (comm) state ppid ... starttime ...": comm may hold spaces and ')', so split after the last ')'.
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return Optional.empty();
        }
        String[] rest = stat.substring(close + 2).split(" ");
        final int stateIndex = 0;          // field 3 of proc(5)
        final int startTimeIndex = 22 - 3; // field 22 of proc(5)
        if (rest.length <= startTimeIndex) {
            return Optional.empty();
        }
        String state = rest[stateIndex];
        if (state.equals("Z") || state.equals("X") || state.equals("x")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(rest[startTimeIndex]));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
