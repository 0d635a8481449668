package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is attached to which segment file, and when a leaving process removes it (docs/FORMAT.md §6).
 *
 * <p>Every attached process holds a shared fcntl lock on {@link SegmentDescriptor#ATTACH_LOCK_BYTE};
 * the kernel drops it when the process dies. POSIX record locks belong to the process and closing
 * any descriptor of the file drops them all, so this JVM's attachments to one file (by file key)
 * share one {@link Entry} that keeps every channel open and the lock held until the last closes.
 *
 * <p>Removal policy: the last process to leave removes the file unless it is kept, and only if
 * either the writer left cleanly (state EXITED) or a live writer had the segment when this process
 * attached. It proves it is the last by taking the attach byte exclusively, and while it holds that
 * no newcomer can attach, so checking the name and unlinking is race-free.
 */
final class Attachments {
    private static final Map<Object, Entry> BY_KEY = new HashMap<>();

    /** What {@link #removeIfUnattached} did. */
    enum Removal { REMOVED, ATTACHED, NOT_ALLOWED }

    /** This JVM's attachments to one file. */
    static final class Entry {
        final Object key;
        private final List<FileChannel> channels = new ArrayList<>();
        private final Set<FileChannel> writable = new HashSet<>();
        /** Descriptors of this file opened meanwhile and not closed yet: closing one would drop the locks. */
        private final List<Runnable> deferredCloses = new ArrayList<>();
        private FileLock attachLock;
        private int users;

        private Entry(Object key) {
            this.key = key;
        }
    }

    private Attachments() {
    }

    /** Adds a user of the file {@code key}; null if the file is being removed by its last user right now. */
    static synchronized Entry register(Object key, FileChannel channel, boolean writable) throws IOException {
        Entry existing = BY_KEY.get(key);
        if (existing == null) {
            FileLock lock = channel.tryLock(SegmentDescriptor.ATTACH_LOCK_BYTE, 1, true);
            if (lock == null) {
                return null;
            }
            existing = new Entry(key);
            existing.attachLock = lock;
            BY_KEY.put(key, existing);
        }
        existing.channels.add(channel);
        if (writable) {
            existing.writable.add(channel);
        }
        existing.users++;
        return existing;
    }

    /**
     * A read-write descriptor of this very file, kept with the attachment (opened on first use): a
     * gating consumer's exclusive lock byte and its own words need one.
     */
    static synchronized FileChannel writableChannel(Entry entry, Path path) throws IOException {
        if (!entry.writable.isEmpty()) {
            return entry.writable.iterator().next();
        }
        SafeOpen.Opened rw;
        try {
            rw = SafeOpen.open(path, true);
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(path.toString(), null, "no permission to write segment " + path
                    + ": a gating consumer writes its cursor into the header (only the owner may)");
        }
        if (!Objects.equals(rw.key(), entry.key)) {
            rw.channel().close();
            throw new IOException("segment " + path + " was replaced by a new run while attaching to it");
        }
        entry.channels.add(rw.channel());
        entry.writable.add(rw.channel());
        return rw.channel();
    }

    /**
     * Closes a descriptor of the file {@code key} now if this JVM is not attached to it, else when it
     * detaches: POSIX drops every fcntl lock a process holds on a file when it closes any descriptor
     * of it, so closing one while attached would silently give up the attach (and writer) lock.
     */
    static synchronized void closeWhenDetached(Object key, Runnable close) {
        Entry entry = key == null ? null : BY_KEY.get(key);
        if (entry == null) {
            close.run();
        } else {
            entry.deferredCloses.add(close);
        }
    }

    /** Whether this JVM has the file {@code key} attached (its channels must not be disturbed). */
    static synchronized boolean isRegistered(Object key) {
        return BY_KEY.containsKey(key);
    }

    /** Whether this JVM has the file now at {@code path} attached. */
    static boolean isAttachedInThisProcess(Path path) {
        try {
            return isRegistered(fileKey(path));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Drops a user; the last one releases the attach lock, removes the file if {@code removeIfLast}
     * and no other process is attached, and closes every channel.
     */
    static synchronized void detach(Entry entry, boolean removeIfLast, Path path) throws IOException {
        if (--entry.users > 0) {
            return;
        }
        BY_KEY.remove(entry.key);
        try {
            if (entry.attachLock.isValid()) {
                entry.attachLock.release();
            }
            if (removeIfLast) {
                removeIfUnused(entry, path);
            }
        } finally {
            for (FileChannel channel : entry.channels) {
                channel.close();
            }
            entry.deferredCloses.forEach(Runnable::run);
        }
    }

    /**
     * The removal rule for a process that leaves: never a kept segment; otherwise only if it shared
     * the run's fate (a live writer had the segment when it attached) or the writer left cleanly.
     * What a crash left thus stays for a resume or {@code heatgrid clean} when only later visitors
     * (inspect, a viewer opened afterwards) come and go.
     */
    static boolean mayRemoveOnLeaving(boolean kept, boolean joinedLiveWriter, WriterState writerState) {
        return !kept && (joinedLiveWriter || writerState == WriterState.EXITED);
    }

    private static void removeIfUnused(Entry entry, Path path) throws IOException {
        FileChannel rw = entry.writable.isEmpty() ? null : entry.writable.iterator().next();
        if (rw == null) {
            try {
                // An exclusive fcntl lock needs a writable descriptor; a reader that may not write
                // the file leaves removal to its owner or `heatgrid clean`.
                rw = SafeOpen.open(path, true).channel();
                entry.channels.add(rw);
            } catch (IOException e) {
                return;
            }
        }
        removeIfUnattached(rw, path, true, false, entry.key);
    }

    /**
     * Takes the attach byte exclusively through {@code rw}: that succeeds only if no other process is
     * attached, and while it is held no newcomer can attach, so checking the name and unlinking is
     * race-free. Removes the file if {@code allowed} and the name still leads to {@code expectedKey}.
     */
    static Removal removeIfUnattached(FileChannel rw, Path path, boolean allowed, boolean dryRun,
                                      Object expectedKey) throws IOException {
        FileLock exclusive;
        try {
            exclusive = rw.tryLock(SegmentDescriptor.ATTACH_LOCK_BYTE, 1, false);
        } catch (OverlappingFileLockException e) {
            return Removal.ATTACHED;
        }
        if (exclusive == null) {
            return Removal.ATTACHED;
        }
        try {
            if (!allowed) {
                return Removal.NOT_ALLOWED;
            }
            if (!dryRun && Objects.equals(fileKey(path), expectedKey)) {
                Files.deleteIfExists(path);
            }
            return Removal.REMOVED;
        } catch (NoSuchFileException e) {
            return Removal.REMOVED;
        } finally {
            exclusive.release();
        }
    }

    /** The identity (device and inode where the platform has them) of what the name is, never following a link. */
    static Object fileKey(Path path) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        Object key = attrs.fileKey();
        return key != null ? key : path.toAbsolutePath().normalize().toString();
    }
}
