package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A read-only attachment to a segment. The file is mapped READ_ONLY, so nothing a reader does can
 * change a frame, and readers take no lock, so they never slow the writer down.
 *
 * <p>Reading follows {@link java.util.concurrent.locks.StampedLock}'s optimistic read. The stamp is
 * the generation; the data read under it is trustworthy only if {@link #validate} says so afterwards:
 * <pre>{@code
 * long stamp = reader.tryOptimisticRead();          // 0: no complete frame right now
 * double t = reader.field(stamp, 0).getAtIndex(ValueLayout.JAVA_DOUBLE, i);
 * if (reader.validate(stamp)) { ... use t ... }     // else retry
 * }</pre>
 * or simply {@link #latest(Frame)}, which copies the newest frame, validates it, checks its
 * checksums, and retries for you.
 *
 * <p>Instances are not thread-safe; use one per thread (they are cheap, and share the mapping's
 * locks within a JVM).
 */
public final class FrameReader implements AutoCloseable {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** Spin this long before blocking: a publish seen while spinning costs no syscall on either side. */
    public static final long DEFAULT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** Give up a copy the writer keeps overtaking after this long. */
    public static final long DEFAULT_MAX_READ_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Longest single sleep: a writer that never calls FUTEX_WAKE (an older reader's case) is still noticed this fast. */
    private static final long MAX_BLOCK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Fields up to this size are copied first and checksummed after validation (they stay in L2). */
    static final long COPY_FIRST_BYTES = 512 * 1024;

    private final SegmentFile file;
    private final SegmentLayout layout;
    private final MemorySegment header;
    private final FrameStore frames;
    private final ControlArea control;
    private final MemorySegment futexWord;
    private long spinNanos = DEFAULT_SPIN_NANOS;
    /** Longest single sleep; tests lengthen it so that a lost wake-up shows as a timeout, not as latency. */
    long maxBlockNanos = MAX_BLOCK_NANOS;
    private long maxReadNanos = DEFAULT_MAX_READ_NANOS;
    private long reads;
    private long retries;

    private FrameReader(SegmentFile file) {
        this.file = file;
        this.layout = file.layout();
        this.header = file.mapping().asSlice(0, HEADER_SIZE);
        this.frames = new FrameStore(file.mapping(), layout, file.path());
        this.control = new ControlArea(header, file.path());
        this.futexWord = header.asSlice(GENERATION_FUTEX_OFFSET, Integer.BYTES);
    }

    /**
     * Maps a segment read-only, after validating its header. Refuses another user's segment. Closing
     * the reader as the last process attached removes the file only if its writer left cleanly and
     * it is not kept: looking at what a crash left behind never deletes it.
     */
    public static FrameReader open(Path path) throws IOException {
        return open(path, false);
    }

    /** Maps a segment read-only; {@code allowOtherOwner} accepts a segment owned by another user. */
    public static FrameReader open(Path path, boolean allowOtherOwner) throws IOException {
        return new FrameReader(SegmentFile.open(path, SegmentFile.Access.READ_ONLY, allowOtherOwner));
    }

    public SegmentLayout layout() {
        return layout;
    }

    /** The attachment, for a {@link GatingConsumer} joining through this reader. */
    SegmentFile file() {
        return file;
    }

    public Path path() {
        return file.path();
    }

    /** Newest published generation, 0 if none. Acquire: pairs with the writer's release of it. */
    public long generation() {
        return frames.generation();
    }

    /**
     * A stamp for the newest complete frame, or 0 if there is none right now (nothing published, or
     * the writer is already overwriting it; try again).
     */
    public long tryOptimisticRead() {
        return frames.tryOptimisticRead();
    }

    /** Whether everything read since {@code stamp} was obtained belongs to that one frame. */
    public boolean validate(long stamp) {
        return frames.validate(stamp);
    }

    /** Read-only view of field {@code f} of the stamp's frame; meaningful only until {@code validate}. */
    public MemorySegment field(long stamp, int f) {
        return frames.field(layout.bufferOf(stamp), f);
    }

    /** The stamp's frame header, read optimistically: check {@link #validate} before trusting it. */
    public FrameHeader header(long stamp) {
        return frames.readHeader(layout.bufferOf(stamp));
    }

    /**
     * Copies the newest consistent frame into {@code into}, verifies its checksums on the copy, and
     * returns its generation; 0 if nothing has been published yet.
     *
     * @throws FrameCorruptedException a consistent frame whose data does not match its checksum
     * @throws SegmentGoneException    the file was truncated under the mapping
     * @throws IOException             the writer kept overtaking the copy for longer than the limit
     */
    public long latest(Frame into) throws IOException {
        FrameHeader header = readConsistently(new CopyVisit(copiesInto(into)));
        if (header == null) {
            return 0;
        }
        into.setHeader(header);
        return header.generation();
    }

    /**
     * Copies the frame of one given generation, not necessarily the newest, into {@code into} and
     * verifies its checksums on the copy. Returns false, with {@code into} undefined, if that
     * generation is not complete in its buffer right now: not yet published, or already overwritten.
     * A {@link GatingConsumer} reads this way: the writer keeps the generations it has not finished.
     *
     * @throws FrameCorruptedException a consistent frame whose data does not match its checksum
     */
    public boolean copyGeneration(long generation, Frame into) throws IOException {
        MemorySegment[] copies = copiesInto(into);
        int buffer = layout.bufferOf(generation);
        try {
            // Acquire: the copy below cannot start before this check of the sequence word.
            if (generation <= 0 || frames.seqAcquire(buffer) != FrameDescriptor.completeSeq(generation)) {
                return false;
            }
            FrameHeader header = frames.readHeader(buffer);
            CopyVisit visit = new CopyVisit(copies);
            visit.read(buffer);
            if (!frames.validate(generation)) {
                retries++;
                return false;
            }
            frames.verify(generation, header, visit.checksums());
            into.setHeader(header);
            reads++;
            return true;
        } catch (InternalError fault) {
            throw file.explainFault(fault);
        }
    }

    private MemorySegment[] copiesInto(Frame into) {
        if (!into.fits(layout)) {
            throw new IllegalArgumentException("frame is " + into.nx() + "x" + into.ny() + " " + into.fieldNames()
                    + ", segment is " + layout.nx() + "x" + layout.ny() + " " + layout.fields());
        }
        var copies = new MemorySegment[layout.fields().size()];
        for (int f = 0; f < copies.length; f++) {
            copies[f] = MemorySegment.ofArray(into.field(f));
        }
        return copies;
    }

    /**
     * Checks the newest frame's checksums where it lies, without copying it (any grid size); returns
     * its header, or null if nothing has been published yet.
     *
     * @throws FrameCorruptedException a consistent frame whose data does not match its checksum
     */
    public FrameHeader verifyLatest() throws IOException {
        return readConsistently(new FieldVisit() {
            private long[] sums;

            @Override
            public void read(int buffer) {
                sums = frames.checksums(buffer);
            }

            @Override
            public long[] checksums() {
                return sums;
            }
        });
    }

    /**
     * What a consistent read does with the frame in one buffer: {@link #read} runs between the stamp
     * and its validation (keep it short: the writer may reuse the buffer meanwhile), {@link #checksums}
     * after a successful validation.
     */
    private interface FieldVisit {
        void read(int buffer);

        long[] checksums();
    }

    /**
     * Copies every field into private memory. Frames up to {@link #COPY_FIRST_BYTES} per field are
     * copied with a bare memcpy and checksummed after validation (from cache): the shortest window,
     * so a reader keeps up with a writer that publishes small frames every few microseconds. Larger
     * fields are copied and checksummed chunk by chunk, reading memory once.
     */
    private final class CopyVisit implements FieldVisit {
        private final MemorySegment[] copies;
        private long[] sums;

        CopyVisit(MemorySegment[] copies) {
            this.copies = copies;
        }

        @Override
        public void read(int buffer) {
            if (layout.spec().fieldBytes() <= COPY_FIRST_BYTES) {
                for (int f = 0; f < copies.length; f++) {
                    MemorySegment.copy(frames.field(buffer, f), 0, copies[f], 0, copies[f].byteSize());
                }
                sums = null;
            } else {
                sums = frames.copyOut(buffer, copies);
            }
        }

        @Override
        public long[] checksums() {
            if (sums == null) {
                sums = new long[copies.length];
                for (int f = 0; f < copies.length; f++) {
                    sums[f] = FrameChecksum.of(copies[f], layout.cells());
                }
            }
            return sums;
        }
    }

    /**
     * The retry loop of a consistent read: visit the newest frame under a stamp, validate, verify
     * the checksums the visit computed. Returns the frame's header, or null if none is published.
     */
    private FrameHeader readConsistently(FieldVisit visit) throws IOException {
        file.checkIntact();
        long started = System.nanoTime();
        int failures = 0;
        try {
            while (true) {
                long stamp = tryOptimisticRead();
                if (stamp == 0 && generation() == 0) {
                    return null;
                }
                if (stamp != 0) {
                    FrameHeader frameHeader = header(stamp);
                    visit.read(layout.bufferOf(stamp));
                    if (validate(stamp)) {
                        // What we read was consistent, so a mismatch now is damage, not a race.
                        frames.verify(stamp, frameHeader, visit.checksums());
                        reads++;
                        return frameHeader;
                    }
                }
                retries++;
                failures++;
                if (stamp == 0 && (failures == 2 || failures % 16 == 0) && !writerCanPublish()) {
                    // With no writer nothing moves: the newest buffer's sequence word is wrong for good.
                    long generation = generation();
                    throw new FrameCorruptedException(file.path(), generation, "the sequence word of its buffer"
                            + " is " + bufferSeq(layout.bufferOf(generation)) + ", not "
                            + FrameDescriptor.completeSeq(generation) + ", and no writer is running");
                }
                if (System.nanoTime() - started > maxReadNanos) {
                    throw new IOException("could not take a consistent copy of segment " + file.path() + " within "
                            + TimeUnit.NANOSECONDS.toMillis(maxReadNanos) + " ms (" + failures + " tries): the writer"
                            + " reuses each buffer before this reader finishes copying it; create the segment with"
                            + " more buffers");
                }
                if (failures > 1) {
                    // Start the next try right after a publish, when the writer is furthest from this buffer.
                    awaitNewer(generation(), 10, TimeUnit.MILLISECONDS);
                }
            }
        } catch (InternalError fault) {
            throw file.explainFault(fault);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while reading segment " + file.path());
        }
    }

    /**
     * Waits until a generation newer than {@code after} is published: spins for the spin budget,
     * then sleeps on the futex (Linux) or polls. Returns the newest generation, or 0 on timeout.
     * Before each sleep it announces itself in the waiters word, so that the writer wakes it
     * ({@link Waiters}); a reader that may not write the file sleeps at most 1 ms at a time instead.
     */
    public long awaitNewer(long after, long timeout, TimeUnit unit) throws InterruptedException {
        long timeoutNanos = unit.toNanos(timeout);
        long start = System.nanoTime();
        long poll = TimeUnit.MICROSECONDS.toNanos(50);
        long generation;
        while ((generation = generation()) <= after) {
            long waited = System.nanoTime() - start;
            if (waited >= timeoutNanos) {
                return 0;
            }
            if (waited < spinNanos) {
                Thread.onSpinWait();
                continue;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long sleep = Math.min(timeoutNanos - waited, maxBlockNanos);
            // Announce only to a writer that has not exited: nobody else could wake us, and a reader
            // of a finished run then writes nothing at all (and maps nothing writable). A new writer
            // resuming it is noticed within one sleep.
            boolean writerExited = writerState() == WriterState.EXITED;
            MemorySegment waiters = Futex.AVAILABLE && !writerExited ? file.waitersLine() : null;
            if (waiters != null) {
                Waiters.announce(waiters);
                if (generation() != generation) {
                    continue; // published meanwhile: no sleep
                }
                // Sleeps only while the word still holds the low half of the generation we saw, so
                // a publish between our load and this call is not missed.
                Futex.await(futexWord, (int) generation, sleep);
            } else if (Futex.AVAILABLE) {
                // Not announced: a running writer will not wake us, so poll; an exited one changes nothing.
                Futex.await(futexWord, (int) generation, writerExited ? sleep : Math.min(sleep, poll));
                poll = Math.min(poll * 2, MAX_POLL_NANOS);
            } else {
                LockSupport.parkNanos(Math.min(sleep, poll));
                poll = Math.min(poll * 2, MAX_POLL_NANOS);
            }
        }
        return generation;
    }

    /** Sets how long {@link #awaitNewer} spins before sleeping; 0 sleeps at once, Long.MAX_VALUE never sleeps. */
    public void setSpinNanos(long nanos) {
        this.spinNanos = nanos;
    }

    /** Sets how long {@link #latest} keeps retrying a copy the writer keeps overtaking. */
    public void setMaxReadNanos(long nanos) {
        this.maxReadNanos = nanos;
    }

    /** Whether waits block in the kernel (futex) rather than polling. */
    public static boolean blockingWaitAvailable() {
        return Futex.AVAILABLE;
    }

    /** The writer as recorded in the header, and whether it still runs. */
    public WriterStatus writer() {
        long pid = (long) WORD.getOpaque(header, (long) WRITER_PID_OFFSET);
        long start = (long) WORD.getOpaque(header, (long) WRITER_START_OFFSET);
        long heartbeat = (long) WORD.getOpaque(header, (long) WRITER_HEARTBEAT_OFFSET);
        WriterState state = writerState();
        boolean alive = pid != 0 && new ProcessIdentity(pid, start).isAlive();
        long age = heartbeat == 0 ? Long.MAX_VALUE : System.nanoTime() - heartbeat;
        return new WriterStatus(pid, start, alive, state, age);
    }

    /** The writer's state word. Acquire: pairs with the writer's release of it. */
    private WriterState writerState() {
        return WriterState.of((int) INT.getAcquire(header, (long) WRITER_STATE_OFFSET));
    }

    /** Whether a live writer that has not exited could still change the frames. */
    private boolean writerCanPublish() {
        WriterStatus writer = writer();
        return writer.alive() && writer.state() != WriterState.EXITED;
    }

    /** Pid holding the shared lock right now, 0 if free. */
    public long lockOwnerPid() {
        return ProcessIdentity.pidOfLockToken((long) WORD.getAcquire(header, (long) LOCK_OFFSET));
    }

    /** Raw sequence word of a buffer: 0 never written, odd being written, even {@code 2g} complete. */
    public long bufferSeq(int buffer) {
        return frames.seqAcquire(buffer);
    }

    /** The writer's log of applied steering commands, newest first. */
    public List<CommandRecord> commandLog() {
        return control.log();
    }

    /** Whether the segment's name still leads to this mapping's file. */
    public PathState pathState() {
        return file.pathState();
    }

    /** Throws {@link SegmentGoneException} if the file was truncated under the mapping. */
    public void checkIntact() throws SegmentGoneException {
        file.checkIntact();
    }

    /** Consistent copies {@link #latest} returned. */
    public long reads() {
        return reads;
    }

    /** Copies {@link #latest} had to throw away because the writer overtook them. */
    public long retries() {
        return retries;
    }

    /** Unmaps (deterministically) and detaches; removes the file if this was its last user and it is not kept. */
    @Override
    public void close() throws IOException {
        file.close();
    }
}
