package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Who is attached to a segment right now, from the kernel's table of fcntl locks
 * ({@code /proc/locks}, Linux): every attached process holds a shared lock on
 * {@link SegmentDescriptor#ATTACH_LOCK_BYTE}, the writer an exclusive one on
 * {@link SegmentDescriptor#WRITER_LOCK_BYTE}. The kernel drops them when a process dies, so the list
 * is right even after a crash.
 */
public final class AttachedProcesses {
    private static final Path PROC_LOCKS = Path.of("/proc/locks");

    /**
     * One attached process.
     *
     * @param pid    its pid
     * @param writer whether it holds the writer lock
     */
    public record Attached(long pid, boolean writer) {
    }

    private AttachedProcesses() {
    }

    /** Whether this platform can list attached processes. */
    public static boolean supported() {
        return Files.isReadable(PROC_LOCKS);
    }

    /** Processes attached to {@code segment}, by pid; empty where unsupported. */
    public static List<Attached> of(Path segment) throws IOException {
        if (!supported()) {
            return List.of();
        }
        long dev = (Long) Files.getAttribute(segment, "unix:dev");
        long ino = (Long) Files.getAttribute(segment, "unix:ino");
        // Linux dev_t as glibc encodes it; /proc/locks prints MAJOR:MINOR:INODE in hex:hex:decimal.
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        String device = String.format("%02x:%02x:%d", major, minor, ino);
        var readers = new java.util.TreeSet<Long>();
        var writers = new java.util.TreeSet<Long>();
        for (String line : Files.readAllLines(PROC_LOCKS)) {
            // "1: POSIX  ADVISORY  READ 2003 00:1b:2 4080 4080"; "1: -> POSIX ..." is a waiter, not a holder.
            String[] t = line.trim().split("\\s+");
            if (t.length < 8 || t[1].equals("->") || !t[5].equals(device)) {
                continue;
            }
            long pid;
            long start;
            try {
                pid = Long.parseLong(t[4]);
                start = Long.parseLong(t[6]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (start == SegmentDescriptor.ATTACH_LOCK_BYTE) {
                readers.add(pid);
            } else if (start == SegmentDescriptor.WRITER_LOCK_BYTE && t[3].equals("WRITE")) {
                writers.add(pid);
            }
        }
        var attached = new ArrayList<Attached>();
        for (long pid : readers) {
            attached.add(new Attached(pid, writers.contains(pid)));
        }
        for (long pid : writers) {
            if (!readers.contains(pid)) {
                attached.add(new Attached(pid, true));
            }
        }
        return attached;
    }
}
