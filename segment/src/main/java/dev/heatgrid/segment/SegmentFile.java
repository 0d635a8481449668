package dev.heatgrid.segment;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One mapped attachment of this process to a segment file: the open channel, the mapping, this
 * process's place in the {@link Attachments} registry, and, for the writer, the exclusive fcntl lock
 * on {@link SegmentDescriptor#WRITER_LOCK_BYTE}. New files come from {@link SegmentCreation}.
 */
final class SegmentFile implements AutoCloseable {
    private static final int OPEN_ATTEMPTS = 200;

    /** How the file is mapped. */
    enum Access { READ_ONLY, READ_WRITE }

    private final Path path;
    private final Access access;
    private final SegmentLayout layout;
    private final Arena arena;
    private final MemorySegment mapping;
    private final Attachments.Entry attachment;
    private final FileChannel channel;
    private final WriterRecord writerRecord;
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

    SegmentFile(Path path, Access access, SegmentLayout layout, Arena arena, MemorySegment mapping,
                Attachments.Entry attachment, FileChannel channel) {
        this.path = path;
        this.access = access;
        this.layout = layout;
        this.arena = arena;
        this.mapping = mapping;
        this.attachment = attachment;
        this.channel = channel;
        this.writerRecord = new WriterRecord(mapping.asSlice(0, SegmentDescriptor.HEADER_SIZE));
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
                waiters = Waiters.line(mapReadWrite(0, SegmentDescriptor.PAGE_SIZE));
            } catch (IOException | UnsupportedOperationException e) {
                waiters = null; // no write permission, or replaced: this reader polls instead of being woken
            }
        }
        return waiters;
    }

    /** The writer record of this segment (docs/FORMAT.md §2.2). */
    WriterRecord writerRecord() {
        return writerRecord;
    }

    // ------------------------------------------------------------------------------------------
    // Opening

    /**
     * Attaches to an existing segment. The name is opened as a regular file only ({@link SafeOpen}:
     * no links, no blocking on a FIFO); the header is read with a plain read, validated against the
     * file's real size, and only then is the file mapped.
     *
     * @param allowOtherOwner accept a file that belongs to another user
     * @throws SegmentOwnerException     another user's file and {@code allowOtherOwner} is false
     * @throws NotASegmentFileException  a link, FIFO, device or directory at the name
     * @throws SegmentFormatException    not a valid segment
     */
    static SegmentFile open(Path path, Access access, boolean allowOtherOwner) throws IOException {
        SegmentCreation.requireLittleEndian();
        for (int attempt = 0; attempt < OPEN_ATTEMPTS; attempt++) {
            SafeOpen.Opened opened;
            try {
                opened = SafeOpen.open(path, access == Access.READ_WRITE);
            } catch (NoSuchFileException e) {
                throw new NoSuchFileException(path.toString(), null, "no segment at " + path);
            }
            FileChannel channel = opened.channel();
            String me = System.getProperty("user.name");
            if (!allowOtherOwner && opened.owner() != null && me != null && !opened.owner().equals(me)) {
                channel.close();
                throw new SegmentOwnerException(path, opened.owner(), me);
            }
            Attachments.Entry attachment = Attachments.register(opened.key(), channel, access == Access.READ_WRITE);
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
                    keyAfter = Attachments.fileKey(path);
                } catch (NoSuchFileException e) {
                    keyAfter = null;
                }
                if (!Objects.equals(opened.key(), keyAfter)) {
                    continue; // replaced or removed while we attached: attach to whatever is there now
                }
                SegmentLayout layout = readLayout(channel, path);
                Arena arena = Arena.ofShared();
                MemorySegment mapping = channel.map(access == Access.READ_ONLY
                        ? FileChannel.MapMode.READ_ONLY : FileChannel.MapMode.READ_WRITE, 0, layout.fileSize(), arena);
                done = true;
                SegmentFile file = new SegmentFile(path, access, layout, arena, mapping, attachment, channel);
                file.joinedLiveWriter = file.writerRecord.read().canPublish();
                return file;
            } finally {
                if (!done) {
                    Attachments.detach(attachment, false, path);
                }
            }
        }
        throw new IOException("segment " + path + " kept being replaced or removed while attaching to it");
    }

    /** Reads and validates the header of the file behind {@code channel} (a plain read, nothing mapped). */
    static SegmentLayout readLayout(FileChannel channel, Path path) throws IOException {
        long size = channel.size();
        ByteBuffer header = ByteBuffer.allocate((int) Math.min(size, SegmentDescriptor.HEADER_SIZE));
        while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
            // keep reading: a short read is legal
        }
        header.flip();
        return SegmentLayout.read(MemorySegment.ofBuffer(header), path, size);
    }

    /** A u64 of the header through the channel (no mapping), 0 if the file is too short. */
    static long readU64(FileChannel channel, long offset) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(buffer, offset);
        return buffer.flip().remaining() == Long.BYTES ? buffer.getLong() : 0;
    }

    // ------------------------------------------------------------------------------------------
    // Writer role

    /** Becomes the writer: the exclusive fcntl lock on the writer byte, or a busy error naming the owner. */
    void acquireWriterRole() throws IOException {
        if (access != Access.READ_WRITE) {
            throw new IllegalStateException("a read-only attachment cannot become the writer");
        }
        FileLock lock;
        try {
            lock = channel.tryLock(SegmentDescriptor.WRITER_LOCK_BYTE, 1, false);
        } catch (OverlappingFileLockException e) {
            throw new SegmentBusyException("segment " + path + " already has a writer in this process",
                    ProcessHandle.current().pid(), SegmentBusyException.Reason.WRITER);
        }
        if (lock == null) {
            long pid = writerRecord.pid();
            throw new SegmentBusyException("segment " + path + " already has a writer: pid " + pid, pid,
                    SegmentBusyException.Reason.WRITER);
        }
        writerLock = lock;
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
        return access == Access.READ_WRITE ? channel : Attachments.writableChannel(attachment, path);
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
            return Objects.equals(Attachments.fileKey(path), attachment.key) ? PathState.SAME : PathState.REPLACED;
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

    /** Throws if the file was truncated: readers and the writer call this where a fault would otherwise hit. */
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
     * Unmaps, releases the writer role, and leaves the registry, removing the file when the removal
     * policy says so ({@link Attachments#mayRemoveOnLeaving}).
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
            // A truncated file's header would fault: leave it to `heatgrid clean`.
            removable = truncation() == null && Attachments.mayRemoveOnLeaving(layout.spec().keep(), joinedLiveWriter,
                    writerRecord.state());
        } finally {
            arena.close(); // deterministic unmap: no mapping outlives its attachment
            Attachments.detach(attachment, removable, path);
        }
    }

    /** Closes a file whose creation failed before it got its name: nothing is removed by name. */
    void abandon() throws IOException {
        closed = true;
        try {
            releaseWriterRole();
        } finally {
            arena.close();
            Attachments.detach(attachment, false, path);
        }
    }

    private static void sleepBriefly() throws IOException {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while attaching");
        }
    }
}
