package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
 * or simply {@link #read(FrameVisitor)}, which runs that loop for you: it retries, checks the
 * checksums, tells corruption from a writer that is merely faster, and gives up after a limit;
 * {@link #latest(Frame)} (a private copy) and {@link #verifyLatest()} are two such visits.
 *
 * <p>Instances are not thread-safe; use one per thread (they are cheap, and share the mapping's
 * locks within a JVM).
 */
public final class FrameReader implements AutoCloseable {
    /** Spin this long before blocking: a publish seen while spinning costs no syscall on either side. */
    public static final long DEFAULT_SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(20);
    /** Give up a copy the writer keeps overtaking after this long. */
    public static final long DEFAULT_MAX_READ_NANOS = TimeUnit.SECONDS.toNanos(2);
    /**
     * The limit for a read made once (a picture, a verification) rather than again at the next frame:
     * on a busy machine it may take longer than a live display would wait.
     */
    public static final long ONE_SHOT_MAX_READ_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Longest single sleep: a writer that never calls FUTEX_WAKE is still noticed this fast. */
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
    private final StampedFrame stamped = new StampedFrame();
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
     * @throws FrameOvertakenException the writer kept overtaking the copy for longer than the limit
     */
    public long latest(Frame into) throws IOException {
        FrameHeader header = read(new CopyVisit(copiesInto(into)));
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
            String parametersDamage = frames.parametersDamage(buffer);
            CopyVisit visit = new CopyVisit(copies);
            stamped.generation = generation;
            visit.visit(header, stamped, 0);
            if (!frames.validate(generation)) {
                retries++;
                return false;
            }
            // Consistent, so a mismatch is damage: the same verdict as read().
            verify(visit, generation, header, parametersDamage);
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
     * The newest frame's header, read consistently (a visit that reads nothing else); null if nothing
     * has been published yet. For status displays that need step, time and statistics, not cells.
     *
     * @throws FrameCorruptedException the newest frame's header is damaged
     * @throws FrameOvertakenException the writer kept overtaking the read for longer than the limit
     */
    public FrameHeader latestHeader() throws IOException {
        return read(new FrameVisitor<FrameHeader>() {
            @Override
            public void visit(FrameHeader header, Stamped frame, int lost) {
                // the header, read under the stamp, is the whole visit
            }

            @Override
            public FrameHeader result(FrameHeader header) {
                return header;
            }
        });
    }

    /**
     * Checks the newest frame's checksums where it lies, without copying it (any grid size); returns
     * its header, or null if nothing has been published yet.
     *
     * @throws FrameCorruptedException a consistent frame whose data does not match its checksum
     * @throws FrameOvertakenException the writer kept overtaking the check for longer than the limit
     */
    public FrameHeader verifyLatest() throws IOException {
        return read(new FrameVisitor<FrameHeader>() {
            private final long[] sums = new long[layout.fields().size()];

            @Override
            public void visit(FrameHeader header, Stamped frame, int lost) {
                for (int f = 0; f < sums.length; f++) {
                    sums[f] = FrameChecksum.of(frame.field(f), layout.cells());
                }
            }

            @Override
            public boolean checksummed(int f) {
                return true;
            }

            @Override
            public long checksum(int f) {
                return sums[f];
            }

            @Override
            public FrameHeader result(FrameHeader header) {
                return header;
            }
        });
    }

    /**
     * Copies every field into private memory. Frames up to {@link #COPY_FIRST_BYTES} per field are
     * copied with a bare memcpy and checksummed after validation (from cache): the shortest window,
     * so a reader keeps up with a writer that publishes small frames every few microseconds. Larger
     * fields are copied and checksummed chunk by chunk, reading memory once.
     */
    private final class CopyVisit implements FrameVisitor<FrameHeader> {
        private final MemorySegment[] copies;
        private long[] sums;

        CopyVisit(MemorySegment[] copies) {
            this.copies = copies;
        }

        @Override
        public void visit(FrameHeader header, Stamped frame, int lost) {
            if (layout.spec().fieldBytes() <= COPY_FIRST_BYTES) {
                for (int f = 0; f < copies.length; f++) {
                    MemorySegment.copy(frame.field(f), 0, copies[f], 0, copies[f].byteSize());
                }
                sums = null;
            } else {
                sums = new long[copies.length];
                for (int f = 0; f < copies.length; f++) {
                    sums[f] = FrameChecksum.copyAndSum(frame.field(f), copies[f], layout.cells());
                }
            }
        }

        @Override
        public boolean checksummed(int f) {
            return true;
        }

        @Override
        public long checksum(int f) {
            if (sums == null) {
                sums = new long[copies.length];
                for (int i = 0; i < copies.length; i++) {
                    sums[i] = FrameChecksum.of(copies[i], layout.cells());
                }
            }
            return sums[f];
        }

        @Override
        public FrameHeader result(FrameHeader header) {
            return header;
        }
    }

    /**
     * The consistent read: visits the newest frame under a stamp, validates the stamp, verifies the
     * checksums the visit computed, and retries when the writer overtook the visit. Returns the
     * visitor's result, or null if nothing has been published yet. This is the one place that
     * decides what a failed read means:
     * <ul>
     *   <li>the data was consistent but its checksum or header does not match: corruption;</li>
     *   <li>the newest generation's buffer holds an older sequence word (impossible for a writer that
     *       follows the protocol), or it stays wrong while no writer could change it (none runs, or
     *       nothing was published during the whole time limit): corruption;</li>
     *   <li>the writer kept publishing over the buffer being read: {@link FrameOvertakenException};</li>
     *   <li>the file was truncated (the JDK's {@link InternalError} after SIGBUS): {@link SegmentGoneException}.</li>
     * </ul>
     *
     * @throws FrameCorruptedException the newest frame is damaged
     * @throws FrameOvertakenException the writer overtook every try within the time limit ({@link #setMaxReadNanos})
     * @throws SegmentGoneException    the file was truncated or its descriptor fails
     */
    public <R> R read(FrameVisitor<R> visitor) throws IOException {
        file.checkIntact(); // an fstat: far cheaper than the SIGBUS a truncated mapping would raise
        long started = System.nanoTime();
        long firstGeneration = generation();
        int failures = 0;
        int lost = 0;
        try {
            while (true) {
                long generation = generation();
                if (generation == 0) {
                    return null;
                }
                int buffer = layout.bufferOf(generation);
                long seq = frames.seqAcquire(buffer);
                long expected = FrameDescriptor.completeSeq(generation);
                if (seq == expected) {
                    FrameHeader frameHeader = frames.readHeader(buffer);
                    String parametersDamage = frames.parametersDamage(buffer);
                    stamped.generation = generation;
                    visitor.visit(frameHeader, stamped, lost);
                    if (validate(generation)) {
                        // What we read was consistent, so a mismatch now is damage, not a race.
                        verify(visitor, generation, frameHeader, parametersDamage);
                        reads++;
                        return visitor.result(frameHeader);
                    }
                    lost++;
                } else if (generation < Long.MAX_VALUE / 2 && Long.compareUnsigned(seq, expected) < 0) {
                    // A writer stores 2g before it stores g (both release; we acquired g): this never heals.
                    throw new FrameCorruptedException(file.path(), generation, "the generation word says " + generation
                            + " but its buffer's sequence word is " + seq + ", older than " + expected);
                }
                retries++;
                failures++;
                long elapsed = System.nanoTime() - started;
                // Damage or too slow (FORMAT.md 4.2): asked at the 2nd failure, every 16th, and always before
                // giving up, so a loaded machine that overruns the bound on the first try still tells damage.
                if (seq != expected && (failures == 2 || failures % 16 == 0 || elapsed > maxReadNanos)
                        && !writer().canPublish()) {
                    // With no writer nothing moves: the newest buffer's sequence word is wrong for good.
                    throw new FrameCorruptedException(file.path(), generation, "the sequence word of its buffer"
                            + " is " + seq + ", not " + expected + ", and no writer is running");
                }
                if (elapsed > maxReadNanos) {
                    if (generation() == firstGeneration) {
                        // Overtaking needs publishing: nothing was published, so the words themselves are wrong.
                        throw new FrameCorruptedException(file.path(), generation, "its buffer's sequence word is "
                                + frames.seqAcquire(buffer) + ", not " + expected + ", and nothing was published for "
                                + TimeUnit.NANOSECONDS.toMillis(elapsed) + " ms");
                    }
                    throw new FrameOvertakenException(file.path(), failures, TimeUnit.NANOSECONDS.toMillis(elapsed),
                            layout.buffers());
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

    /** A consistent visit: {@link FrameStore#verify}, with the checksums the visit computed. */
    private void verify(FrameVisitor<?> visitor, long generation, FrameHeader header, String parametersDamage)
            throws FrameCorruptedException {
        frames.verify(generation, header, parametersDamage, visitor::checksummed, visitor::checksum);
    }

    /** The fields of the stamp being visited (one per reader: readers are single-threaded). */
    private final class StampedFrame implements FrameVisitor.Stamped {
        long generation;

        @Override
        public long generation() {
            return generation;
        }

        @Override
        public MemorySegment field(int f) {
            return frames.field(layout.bufferOf(generation), f);
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
            boolean writerExited = file.writerRecord().state() == WriterState.EXITED;
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

    /** Sets how long {@link #read} (and so {@link #latest}) keeps retrying a read the writer keeps overtaking. */
    public void setMaxReadNanos(long nanos) {
        this.maxReadNanos = nanos;
    }

    /** Whether waits block in the kernel (futex) rather than polling. */
    public static boolean blockingWaitAvailable() {
        return Futex.AVAILABLE;
    }

    /** The writer as recorded in the header, and whether it still runs (see {@link WriterStatus#liveness()}). */
    public WriterStatus writer() {
        return file.writerRecord().read();
    }

    /** Pid holding the shared lock right now, 0 if free. */
    public long lockOwnerPid() {
        return ProcessIdentity.pidOfLockToken(SharedLock.ownerToken(header));
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

    /** Consistent reads {@link #read} returned. */
    public long reads() {
        return reads;
    }

    /** Tries {@link #read} had to throw away because the writer overtook them. */
    public long retries() {
        return retries;
    }

    /** Unmaps (deterministically) and detaches; removes the file if this was its last user and it is not kept. */
    @Override
    public void close() throws IOException {
        file.close();
    }
}
