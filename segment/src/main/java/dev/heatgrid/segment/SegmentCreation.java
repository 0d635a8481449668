package dev.heatgrid.segment;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Creating a segment file (docs/FORMAT.md §6). A segment appears under its name only when complete:
 * it is built under a temporary name (O_EXCL, never through a symlink, mode set explicitly whatever
 * the umask, full size written so a full tmpfs fails here and not with SIGBUS later), its writer
 * byte is locked, and then it is hard-linked into a free name or renamed over a replaceable one.
 *
 * <p>Single writer, in every race: a name is replaced only while this process holds the old file's
 * writer byte exclusively (no writer there) and its attach byte shared (no one is removing it), and
 * has checked that the name still leads to that very file. Whoever else wants to replace or remove
 * it needs one of those two locks, so the checked name cannot change before the rename: of two
 * creators, the second finds the first one's new file at the name, whose writer byte the first holds.
 */
final class SegmentCreation {
    private static final int ZERO_CHUNK = 1 << 20;
    private static final int NAME_ATTEMPTS = 200;

    private SegmentCreation() {
    }

    /**
     * Creates a segment at {@code path} with this process as its writer. {@code initialize} fills in
     * whatever the header needs beyond the layout before the file gets its name.
     */
    static SegmentFile create(Path path, SegmentLayout layout, CreateOptions options,
                              Consumer<MemorySegment> initialize) throws IOException {
        requireLittleEndian();
        Path dir = path.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(path.toString(), null, "directory " + dir + " does not exist");
        }
        if (Files.isSymbolicLink(path)) {
            throw new NotASegmentFileException(path, "a symbolic link; heatgrid never creates a segment through a link");
        }
        FileStore store = Files.getFileStore(dir);
        long usable = checkSpace(path, store, layout.fileSize());

        Path temp = dir.resolve("." + path.getFileName() + ".creating-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        boolean posix = store.supportsFileAttributeView(PosixFileAttributeView.class);
        Set<OpenOption> open = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileChannel channel = FileChannel.open(temp, open);
        SegmentFile file = null;
        Arena arena = null;
        try {
            if (posix) {
                setOwnership(temp, options.group());
            } else if (options.group() != null) {
                throw new CreateOptionException("group", "a group needs a POSIX file system; " + dir + " is not one",
                        null);
            }
            allocate(channel, path, layout.fileSize(), usable);
            arena = Arena.ofShared();
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, layout.fileSize(), arena);
            layout.write(mapping);
            initialize.accept(mapping);

            Attachments.Entry attachment = Objects.requireNonNull(
                    Attachments.register(Attachments.fileKey(temp), channel, true));
            file = new SegmentFile(path, SegmentFile.Access.READ_WRITE, layout, arena, mapping, attachment, channel);
            file.acquireWriterRole();
            publishName(temp, path, options);
            return file;
        } catch (IOException | RuntimeException | Error e) {
            if (file != null) {
                file.abandon();
            } else {
                if (arena != null) {
                    arena.close();
                }
                channel.close();
            }
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * The one free-space check: refuses a segment the file system cannot hold (tmpfs is RAM). A
     * segment it would replace gives its space back once its last user leaves, so it counts as free;
     * writing the whole file ({@link #allocate}) is the final word. Returns the usable bytes.
     */
    private static long checkSpace(Path path, FileStore store, long need) throws IOException {
        long usable = store.getUsableSpace();
        long replaced = 0;
        try {
            BasicFileAttributes existing = Files.readAttributes(path, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            replaced = existing.isRegularFile() ? existing.size() : 0;
        } catch (NoSuchFileException e) {
            replaced = 0;
        }
        if (need > usable + replaced) {
            throw new IOException(noSpaceMessage(path, need, usable + replaced));
        }
        return usable;
    }

    /** Sets the group (if any) and then the mode explicitly: the mode given at creation is masked by the umask. */
    private static void setOwnership(Path temp, String group) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (group != null) {
            try {
                view.setGroup(temp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group));
            } catch (UserPrincipalNotFoundException e) {
                throw new CreateOptionException("group", "group '" + group + "' does not exist", e);
            }
        }
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString(group == null ? "rw-------" : "rw-r-----");
        view.setPermissions(mode);
    }

    /** Writes zeros over the whole file: on tmpfs this reserves every page now, so "no space" happens here. */
    private static void allocate(FileChannel channel, Path path, long size, long usable) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect((int) Math.min(ZERO_CHUNK, size));
        long position = 0;
        try {
            while (position < size) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), size - position));
                position += channel.write(zeros, position);
            }
        } catch (IOException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (message.contains("No space") || message.contains("quota")) {
                throw new IOException(noSpaceMessage(path, size, usable), e);
            }
            throw e;
        }
    }

    private static String noSpaceMessage(Path path, long need, long usable) {
        String type;
        try {
            type = " (file system type " + Files.getFileStore(path.toAbsolutePath().getParent()).type() + ")";
        } catch (IOException | RuntimeException e) {
            type = "";
        }
        return "not enough space for segment " + path + ": it needs " + bytes(need) + " and the file system holding it"
                + type + " has " + bytes(usable) + " free";
    }

    /** A size as people read it: 0.1 MiB, 6.0 MiB, 96.00 GiB (not "0.00 GiB" for a small grid). */
    private static String bytes(long n) {
        return n < 1L << 30 ? String.format(java.util.Locale.ROOT, "%.1f MiB", n / 0x1p20)
                : String.format(java.util.Locale.ROOT, "%.2f GiB", n / 0x1p30);
    }

    /**
     * Gives the finished temporary file its real name. A free name is taken with link(2), which
     * fails instead of replacing; an existing segment is replaced only under the rule in the class
     * comment.
     */
    private static void publishName(Path temp, Path path, CreateOptions options) throws IOException {
        for (int attempt = 0; attempt < NAME_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                pause(); // another creator is renaming or a last user removing: give it a moment
            }
            try {
                Files.createLink(path, temp);
                Files.delete(temp);
                return;
            } catch (FileAlreadyExistsException e) {
                if (replaceExisting(temp, path, options)) {
                    return;
                }
            } catch (UnsupportedOperationException e) {
                // No hard links here: an atomic rename is the best we can do.
                if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                    Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE);
                    return;
                }
                if (replaceExisting(temp, path, options)) {
                    return;
                }
            }
        }
        throw new IOException("segment " + path + " kept appearing and disappearing while it was being created");
    }

    /** Returns false when the name changed meanwhile (try linking again). */
    private static boolean replaceExisting(Path temp, Path path, CreateOptions options) throws IOException {
        SafeOpen.Opened old;
        try {
            old = SafeOpen.open(path, true);
        } catch (NoSuchFileException e) {
            return false;
        }
        // Attaching holds the old file's attach byte shared, so nobody removes it while we decide; and
        // this JVM's other attachments to it keep their locks (closing a descriptor would drop them).
        Attachments.Entry attached = Attachments.register(old.key(), old.channel(), true);
        if (attached == null) {
            old.channel().close();
            return false; // its last user is removing it right now
        }
        try {
            SegmentLayout oldLayout;
            try {
                oldLayout = SegmentFile.readLayout(old.channel(), path);
            } catch (SegmentFormatException e) {
                throw new FileAlreadyExistsException(path.toString(), null, path + " exists and is not a heatgrid"
                        + " segment (" + e.getMessage() + "); not replacing it");
            }
            FileLock writer = tryLock(old.channel(), SegmentDescriptor.WRITER_LOCK_BYTE);
            if (writer == null) {
                ProcessIdentity recorded = WriterRecord.recordedIn(old.channel());
                if (recorded == null || !recorded.isAlive()) {
                    return false; // not its recorded writer: another creator replacing it right now; look again
                }
                throw new SegmentBusyException("segment " + path + " already has a writer: pid " + recorded.pid(),
                        recorded.pid(), SegmentBusyException.Reason.WRITER);
            }
            try {
                if (!old.key().equals(Attachments.fileKey(path))) {
                    return false; // someone else replaced it before we locked it
                }
                // A kept segment that never published a frame holds nothing to lose (its writer died
                // before its first publish): replacing it is the only way forward.
                if (oldLayout.spec().keep() && !options.replaceKept()
                        && FrameStore.generationIn(old.channel()) != 0) {
                    throw new SegmentBusyException("segment " + path + " was kept by an earlier run that published"
                            + " frames; continue that run or remove the segment first", 0,
                            SegmentBusyException.Reason.KEPT);
                }
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return true;
            } finally {
                writer.release();
            }
        } catch (NoSuchFileException e) {
            return false;
        } finally {
            Attachments.detach(attached, false, path);
        }
    }

    /** A non-blocking exclusive fcntl lock of one byte; null if another process (or this JVM) holds it. */
    private static FileLock tryLock(FileChannel channel, long at) throws IOException {
        try {
            return channel.tryLock(at, 1, false);
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void pause() throws java.io.InterruptedIOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while naming a new segment");
        }
    }

    static void requireLittleEndian() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("heatgrid segments are little-endian and their atomic words"
                    + " need a little-endian processor; this one is " + ByteOrder.nativeOrder());
        }
    }
}
