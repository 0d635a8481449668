package dev.heatgrid.segment;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
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
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One attachment of this process to a segment file: the open channel, the mapping, and the
 * advisory fcntl locks that tell other processes who is attached.
 *
 * <p>Lifecycle rules (docs/FORMAT.md, "Lifecycle"):
 * <ul>
 *   <li>A segment appears under its name only when complete: it is built under a temporary name
 *       (O_EXCL, never through a symlink, full size written so a full tmpfs fails here and not
 *       with SIGBUS later) and then hard-linked or renamed into place.</li>
 *   <li>Every attached process holds a shared lock on {@link SegmentDescriptor#ATTACH_LOCK_BYTE};
 *       the writer also holds an exclusive lock on {@link SegmentDescriptor#WRITER_LOCK_BYTE}.
 *       The kernel drops both when a process dies.</li>
 *   <li>The last process to leave (it can take the attach byte exclusively) removes the file,
 *       unless the segment was created with {@link SegmentDescriptor#FLAG_KEEP}.</li>
 * </ul>
 * POSIX record locks belong to the process and closing any descriptor of the file drops them all,
 * so attachments of one JVM to one file share a registry entry that keeps every channel open until
 * the last of them closes.
 */
final class SegmentFile implements AutoCloseable {
    private static final VarHandle WRITER_STATE = ValueLayout.JAVA_INT.varHandle();
    private static final int ZERO_CHUNK = 1 << 20;
    private static final int OPEN_ATTEMPTS = 200;

    /** How the file is mapped. */
    enum Access { READ_ONLY, READ_WRITE }

    private final Path path;
    private final Access access;
    private final SegmentLayout layout;
    private final Arena arena;
    private final MemorySegment mapping;
    private final Attachment attachment;
    private final FileChannel channel;
    private FileLock writerLock;
    private boolean closed;
    /**
     * Whether a live writer had the segment when this process attached: such a process shares the
     * run's fate and removes the file as its last user even after a crash; one that arrives later
     * only visits what the crash left.
     */
    private boolean joinedLiveWriter;
    /** The waiters line, writable (see {@link #waitersLine}); looked up once. */
    private MemorySegment waiters;
    private boolean waitersLookedUp;

    private SegmentFile(Path path, Access access, SegmentLayout layout, Arena arena, MemorySegment mapping,
                        Attachment attachment, FileChannel channel) {
        this.path = path;
        this.access = access;
        this.layout = layout;
        this.arena = arena;
        this.mapping = mapping;
        this.attachment = attachment;
        this.channel = channel;
    }

    Path path() {
        return path;
    }

    SegmentLayout layout() {
        return layout;
    }

    /** The whole file, mapped READ_ONLY or READ_WRITE. */
    MemorySegment mapping() {
        return mapping;
    }

    Access access() {
        return access;
    }

    /**
     * The header's waiters line (docs/FORMAT.md 4.3), writable: the one place a reader writes. A
     * read-only attachment maps just the first page again through {@link #mapReadWrite} (the
     * read-write descriptor a gating consumer also uses, kept as long as the attachment); the frames
     * stay mapped read-only. Null if this process
     * may not write the file (a reader allowed only to read it), or the name now leads to another file.
     */
    synchronized MemorySegment waitersLine() {
        if (!waitersLookedUp && !closed) {
            waitersLookedUp = true;
            try {
                // Page-aligned: a read-only attachment maps the header's first page again, writable.
                waiters = mapReadWrite(0, SegmentDescriptor.PAGE_SIZE)
                        .asSlice(SegmentDescriptor.WAITERS_OFFSET, SegmentDescriptor.CACHE_LINE);
            } catch (IOException | UnsupportedOperationException e) {
                waiters = null; // no write permission, or replaced: this reader polls instead of being woken
            }
        }
        return waiters;
    }

    // ------------------------------------------------------------------------------------------
    // Creating

    /**
     * Creates a segment at {@code path} and makes this process its writer. {@code initialize} fills
     * in whatever the header needs beyond the layout before the file gets its name.
     */
    static SegmentFile create(Path path, SegmentLayout layout, SegmentWriter.CreateOptions options,
                              Consumer<MemorySegment> initialize) throws IOException {
        requireLittleEndian();
        Path dir = path.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new NoSuchFileException(path.toString(), null, "directory " + dir + " does not exist");
        }
        if (Files.isSymbolicLink(path)) {
            throw new IOException(path + " is a symbolic link; heatgrid never creates a segment through a link");
        }
        FileStore store = Files.getFileStore(dir);
        long usable = store.getUsableSpace();
        if (usable < layout.fileSize()) {
            throw new IOException(noSpaceMessage(path, layout.fileSize(), usable));
        }

        Path temp = dir.resolve("." + path.getFileName() + ".creating-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong()));
        boolean posix = store.supportsFileAttributeView(PosixFileAttributeView.class);
        Set<OpenOption> open = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString(options.group() == null ? "rw-------" : "rw-r-----"))}
                : new FileAttribute<?>[0];
        FileChannel channel = FileChannel.open(temp, open, attrs);
        Arena arena = null;
        boolean done = false;
        try {
            if (options.group() != null) {
                setGroup(temp, options.group());
            }
            allocate(channel, path, layout.fileSize(), usable);
            arena = Arena.ofShared();
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, layout.fileSize(), arena);
            layout.write(mapping);
            initialize.accept(mapping);

            Object key = fileKey(temp);
            Attachment attachment = Objects.requireNonNull(Attachment.register(key, channel, true));
            SegmentFile file = new SegmentFile(path, Access.READ_WRITE, layout, arena, mapping, attachment,
                    channel);
            try {
                file.writerLock = lockWriterByte(channel, path, mapping);
                publishName(temp, path, options);
            } catch (IOException | RuntimeException e) {
                file.abandonCreation(temp);
                throw e;
            }
            done = true;
            return file;
        } finally {
            if (!done) {
                if (arena != null && arena.scope().isAlive()) {
                    arena.close();
                }
                if (channel.isOpen()) {
                    channel.close();
                }
                Files.deleteIfExists(temp);
            }
        }
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
        return String.format("not enough space for segment %s: it needs %.1f MiB and the file system holding it"
                + " has %.1f MiB free", path, need / 1048576.0, usable / 1048576.0);
    }

    private static void setGroup(Path file, String group) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            throw new IOException("--group needs a POSIX file system; " + file.getParent() + " is not one");
        }
        try {
            view.setGroup(file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group));
        } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
            throw new IOException("group '" + group + "' does not exist", e);
        }
    }

    /**
     * Gives the finished temporary file its real name. A free name is taken with link(2), which
     * fails instead of replacing; an existing segment is replaced only if it has no writer and was
     * not kept, and only while this process holds its writer byte, so two creators cannot both win.
     */
    private static void publishName(Path temp, Path path, SegmentWriter.CreateOptions options) throws IOException {
        for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
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

    /** Returns false when the existing file vanished meanwhile (try linking again). */
    private static boolean replaceExisting(Path temp, Path path, SegmentWriter.CreateOptions options) throws IOException {
        if (Files.isSymbolicLink(path)) {
            throw new IOException(path + " is a symbolic link; heatgrid never replaces a link with a segment");
        }
        FileChannel old;
        try {
            old = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        }
        try (old) {
            SegmentLayout oldLayout;
            try {
                oldLayout = readLayout(old, path);
            } catch (SegmentFormatException e) {
                throw new IOException(path + " exists and is not a heatgrid segment (" + e.getMessage()
                        + "); not replacing it", e);
            }
            FileLock oldWriter;
            try {
                oldWriter = old.tryLock(SegmentDescriptor.WRITER_LOCK_BYTE, 1, false);
            } catch (OverlappingFileLockException e) {
                oldWriter = null;
            }
            if (oldWriter == null) {
                long pid = readWriterPid(old);
                throw new SegmentBusyException("segment " + path + " already has a writer: pid " + pid, pid);
            }
            try {
                // A kept segment that never published a frame holds nothing to lose (its writer died
                // before its first publish): replacing it is the only way forward.
                if (oldLayout.spec().keep() && !options.replaceKept() && readU64(old, SegmentDescriptor.GENERATION_OFFSET) != 0) {
                    throw new SegmentBusyException("segment " + path + " was kept by an earlier run; continue it"
                            + " (run --resume) or remove it first (heatgrid clean, or delete the file)", 0);
                }
                Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return true;
            } finally {
                oldWriter.release();
            }
        }
    }

    private static long readWriterPid(FileChannel channel) throws IOException {
        return readU64(channel, SegmentDescriptor.WRITER_PID_OFFSET);
    }

    private static long readU64(FileChannel channel, long offset) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(buffer, offset);
        return buffer.flip().remaining() == Long.BYTES ? buffer.getLong() : 0;
    }

    private void abandonCreation(Path temp) throws IOException {
        closed = true;
        arena.close();
        if (writerLock != null && writerLock.isValid()) {
            writerLock.release();
        }
        Attachment.forget(attachment);
        Files.deleteIfExists(temp);
    }

    // ------------------------------------------------------------------------------------------
    // Opening

    /**
     * Attaches to an existing segment. The header is read with a plain read, validated against the
     * file's real size, and only then is the file mapped.
     */
    static SegmentFile open(Path path, Access access, boolean allowOtherOwner) throws IOException {
        requireLittleEndian();
        for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
            Object keyBefore;
            try {
                keyBefore = fileKey(path);
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(path.toString(), null, "no segment at " + path);
            }
            if (!allowOtherOwner) {
                checkOwner(path);
            }
            FileChannel channel;
            try {
                channel = access == Access.READ_ONLY
                        ? FileChannel.open(path, StandardOpenOption.READ)
                        : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                continue; // removed between the two calls: look again
            } catch (AccessDeniedException e) {
                throw new AccessDeniedException(path.toString(), null, access == Access.READ_ONLY
                        ? "no permission to read segment " + path
                        : "no permission to write segment " + path + " (only its owner may steer or resume it)");
            }
            Attachment attachment = Attachment.register(keyBefore, channel, access == Access.READ_WRITE);
            if (attachment == null) {
                // The last user is removing this file right now (it holds the attach byte exclusively).
                channel.close();
                sleepBriefly();
                continue;
            }
            boolean done = false;
            try {
                Object keyAfter;
                try {
                    keyAfter = fileKey(path);
                } catch (NoSuchFileException e) {
                    keyAfter = null;
                }
                if (!Objects.equals(keyBefore, keyAfter)) {
                    continue; // replaced or removed while we attached: attach to whatever is there now
                }
                SegmentLayout layout = readLayout(channel, path);
                Arena arena = Arena.ofShared();
                MemorySegment mapping = channel.map(access == Access.READ_ONLY
                        ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, layout.fileSize(), arena);
                done = true;
                SegmentFile file = new SegmentFile(path, access, layout, arena, mapping, attachment, channel);
                file.joinedLiveWriter = file.writerLive();
                return file;
            } finally {
                if (!done) {
                    Attachment.detach(attachment, false, path);
                }
            }
        }
        throw new IOException("segment " + path + " kept being replaced or removed while attaching to it");
    }

    static SegmentLayout readLayout(FileChannel channel, Path path) throws IOException {
        long size = channel.size();
        ByteBuffer header = ByteBuffer.allocate((int) Math.min(size, SegmentDescriptor.HEADER_SIZE));
        while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
            // keep reading: a short read is legal
        }
        header.flip();
        return SegmentLayout.read(MemorySegment.ofBuffer(header), path, size);
    }

    private static void checkOwner(Path path) throws IOException {
        if (!Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
            return;
        }
        String owner = Files.getOwner(path).getName();
        String me = System.getProperty("user.name");
        if (me != null && !owner.equals(me)) {
            throw new AccessDeniedException(path.toString(), null, "segment " + path + " belongs to user '" + owner
                    + "', not to '" + me + "'; pass --allow-other-owner to open it anyway");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Writer role

    /** Becomes the writer: the exclusive fcntl lock on the writer byte, or a busy error naming the owner. */
    void acquireWriterRole() throws IOException {
        if (access != Access.READ_WRITE) {
            throw new IllegalStateException("a read-only attachment cannot become the writer");
        }
        writerLock = lockWriterByte(channel, path, mapping);
    }

    private static FileLock lockWriterByte(FileChannel channel, Path path, MemorySegment mapping)
            throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock(SegmentDescriptor.WRITER_LOCK_BYTE, 1, false);
        } catch (OverlappingFileLockException e) {
            throw new SegmentBusyException("segment " + path + " already has a writer in this process",
                    ProcessHandle.current().pid());
        }
        if (lock == null) {
            long pid = mapping.get(SegmentLayout.U64, SegmentDescriptor.WRITER_PID_OFFSET);
            throw new SegmentBusyException("segment " + path + " already has a writer: pid " + pid, pid);
        }
        return lock;
    }

    /** Gives up the writer role; the file stays attached. */
    void releaseWriterRole() throws IOException {
        if (writerLock != null && writerLock.isValid()) {
            writerLock.release();
        }
        writerLock = null;
    }

    // ------------------------------------------------------------------------------------------
    // Consumer gate (FORMAT.md §4.4)

    /**
     * Tries a record lock on one byte through a descriptor that stays open as long as this
     * attachment (closing any descriptor of the file would drop every lock this process holds).
     * Exclusive locks need a writable descriptor, which is opened once if this attachment has none.
     *
     * @return the lock, or null if another process holds a conflicting one
     * @throws OverlappingFileLockException if this JVM already holds a lock on that byte
     */
    FileLock tryLockByte(long position, boolean shared) throws IOException {
        return (shared ? channel : writableChannel()).tryLock(position, 1, shared);
    }

    /** Maps part of the file read-write (a gating consumer's own words), unmapped with this attachment. */
    MemorySegment mapReadWrite(long offset, long size) throws IOException {
        return access == Access.READ_WRITE ? mapping.asSlice(offset, size)
                : writableChannel().map(FileChannel.MapMode.READ_WRITE, offset, size, arena);
    }

    private FileChannel writableChannel() throws IOException {
        return access == Access.READ_WRITE ? channel : Attachment.writableChannel(attachment, path);
    }

    // ------------------------------------------------------------------------------------------
    // Health

    /** The file's current length, from the open descriptor (fstat): shrinks if someone truncates it. */
    long currentSize() throws IOException {
        return channel.size();
    }

    /** Whether the name still leads to the file this attachment mapped. */
    PathState pathState() {
        try {
            return Objects.equals(fileKey(path), attachment.key) ? PathState.SAME : PathState.REPLACED;
        } catch (IOException e) {
            return PathState.REMOVED;
        }
    }

    /**
     * Turns a fault in the mapping (the JDK's asynchronous InternalError after SIGBUS) into a
     * {@link SegmentGoneException} when the file was truncated, or rethrows it otherwise.
     */
    SegmentGoneException explainFault(InternalError fault) {
        SegmentGoneException gone = truncation();
        if (gone == null) {
            throw fault;
        }
        return gone;
    }

    /** Throws if the file was truncated: readers call this where a fault would otherwise hit. */
    void checkIntact() throws SegmentGoneException {
        SegmentGoneException gone = truncation();
        if (gone != null) {
            throw gone;
        }
    }

    /** The error to report if the file is now shorter than the segment (or its descriptor fails), else null. */
    private SegmentGoneException truncation() {
        long size;
        try {
            size = currentSize();
        } catch (IOException e) {
            return new SegmentGoneException(path, "its descriptor fails: " + e.getMessage());
        }
        return size < layout.fileSize()
                ? new SegmentGoneException(path, "the file is now " + size + " bytes; the segment needs "
                        + layout.fileSize())
                : null;
    }

    // ------------------------------------------------------------------------------------------
    // Closing

    /**
     * Unmaps, releases the writer role, and removes the file if this was the last process attached,
     * the segment is not kept, and either its writer left cleanly or this process joined it while it
     * ran. What a crash left is thus removed by the last of the run's own company, and never by a
     * later visitor (inspect, a viewer opened afterwards): it stays for {@code run --resume} or
     * {@code heatgrid clean}.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        boolean removable = false;
        try {
            releaseWriterRole();
            removable = !layout.spec().keep() && (joinedLiveWriter || writerLeftCleanly());
        } finally {
            arena.close(); // deterministic unmap: no mapping outlives its attachment
            Attachment.detach(attachment, removable, path);
        }
    }

    /**
     * Whether the writer's last word was EXITED; a crash leaves RUNNING or PAUSED. Acquire: pairs with
     * the writer's release of its state. A writer that resumes after this read holds the attach byte
     * shared, so the exclusive lock that removal needs fails and the file stays.
     */
    private boolean writerLeftCleanly() {
        if (truncation() != null) {
            return false; // reading the header of a truncated file would fault; `heatgrid clean` takes it
        }
        return writerState() == WriterState.EXITED;
    }

    /** Whether the recorded writer (pid and start token) still runs and has not said EXITED. */
    private boolean writerLive() {
        // State first: its acquire orders the identity reads after the writer's release of RUNNING,
        // which the writer stores after its pid and start token.
        if (writerState() == WriterState.EXITED) {
            return false;
        }
        long pid = mapping.get(SegmentLayout.U64, SegmentDescriptor.WRITER_PID_OFFSET);
        long start = mapping.get(SegmentLayout.U64, SegmentDescriptor.WRITER_START_OFFSET);
        return pid != 0 && new ProcessIdentity(pid, start).isAlive();
    }

    private WriterState writerState() {
        return WriterState.of((int) WRITER_STATE.getAcquire(mapping, (long) SegmentDescriptor.WRITER_STATE_OFFSET));
    }

    // ------------------------------------------------------------------------------------------
    // Removal

    /** What {@link #removeIfUnattached} did. */
    enum Removal { REMOVED, ATTACHED, NOT_ALLOWED }

    /** Whether this JVM has the file at {@code path} attached (its channels must not be disturbed). */
    static boolean isAttachedInThisProcess(Path path) {
        try {
            return Attachment.isRegistered(fileKey(path));
        } catch (IOException e) {
            return false;
        }
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

    // ------------------------------------------------------------------------------------------

    private static void requireLittleEndian() {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new UnsupportedOperationException("heatgrid segments are little-endian and their atomic words"
                    + " need a little-endian processor; this one is " + ByteOrder.nativeOrder());
        }
    }

    /** The file's identity (device and inode where the platform has them). */
    static Object fileKey(Path path) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
        Object key = attrs.fileKey();
        return key != null ? key : path.toAbsolutePath().normalize().toString();
    }

    private static void sleepBriefly() throws IOException {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while attaching");
        }
    }

    /**
     * This JVM's attachments to one file (by file key): every channel stays open and the shared
     * attach lock stays held until the last attachment closes.
     */
    private static final class Attachment {
        private static final Map<Object, Attachment> BY_KEY = new HashMap<>();

        final Object key;
        final List<FileChannel> channels = new ArrayList<>();
        final Set<FileChannel> writable = new HashSet<>();
        FileLock attachLock;
        int users;

        private Attachment(Object key) {
            this.key = key;
        }

        /** Adds a user; null if the file is being removed by its last user right now. */
        static synchronized Attachment register(Object key, FileChannel channel, boolean writable)
                throws IOException {
            Attachment existing = BY_KEY.get(key);
            if (existing == null) {
                FileLock lock = channel.tryLock(SegmentDescriptor.ATTACH_LOCK_BYTE, 1, true);
                if (lock == null) {
                    return null;
                }
                existing = new Attachment(key);
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

        /** A read-write descriptor of this very file, kept with the attachment (opened on first use). */
        static synchronized FileChannel writableChannel(Attachment attachment, Path path) throws IOException {
            if (!attachment.writable.isEmpty()) {
                return attachment.writable.iterator().next();
            }
            FileChannel rw;
            try {
                rw = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (AccessDeniedException e) {
                throw new AccessDeniedException(path.toString(), null, "no permission to write segment " + path
                        + ": a gating consumer writes its cursor into the header (only the owner may)");
            }
            if (!Objects.equals(fileKey(path), attachment.key)) {
                rw.close();
                throw new IOException("segment " + path + " was replaced by a new run while attaching to it");
            }
            attachment.channels.add(rw);
            attachment.writable.add(rw);
            return rw;
        }

        static synchronized boolean isRegistered(Object key) {
            return BY_KEY.containsKey(key);
        }

        static synchronized void forget(Attachment attachment) throws IOException {
            detach(attachment, false, null);
        }

        /** Drops a user; the last one releases the lock, maybe removes the file, closes every channel. */
        static synchronized void detach(Attachment attachment, boolean removeIfLast, Path path) throws IOException {
            if (--attachment.users > 0) {
                return;
            }
            BY_KEY.remove(attachment.key);
            try {
                if (attachment.attachLock.isValid()) {
                    attachment.attachLock.release();
                }
                if (removeIfLast && path != null) {
                    removeIfUnused(attachment, path);
                }
            } finally {
                for (FileChannel channel : attachment.channels) {
                    channel.close();
                }
            }
        }

        private static void removeIfUnused(Attachment attachment, Path path) throws IOException {
            FileChannel rw = attachment.writable.isEmpty() ? null : attachment.writable.iterator().next();
            if (rw == null) {
                try {
                    // An exclusive fcntl lock needs a writable descriptor; a reader that may not write
                    // the file leaves removal to its owner or `heatgrid clean`.
                    rw = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                    attachment.channels.add(rw);
                } catch (IOException e) {
                    return;
                }
            }
            removeIfUnattached(rw, path, true, false, attachment.key);
        }
    }
}
