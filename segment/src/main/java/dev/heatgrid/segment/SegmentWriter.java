package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The single writer of a segment. It fills the buffer after the newest published one and then
 * publishes it (docs/FORMAT.md, "Publishing a frame"):
 * <pre>
 *   BackFrame back = writer.beginFrame();      // seq := 2g-1, then fill back.fields()
 *   writer.publish(step, time, stats, params); // under the lock: header, seq := 2g, generation := g; wake
 * </pre>
 * The frame of generation g lives in buffer {@code g mod N}; generation 0 means nothing is published
 * yet, so the first frame (usually the initial condition) is generation 1. Readers never wait for
 * the writer and the writer never waits for readers: only steering clients share its lock, for a
 * few stores at a time, and a client that keeps it past the lease loses it ({@link SharedLock}).
 *
 * <p>The frames, the generation, the writer record, the taken seq and the command log are this
 * writer's alone (the exclusive fcntl lock on the writer byte makes it the only writer), so it
 * completes them even if a broken lease let a client into the lock meanwhile; it only says so.
 *
 * <p>Not thread-safe: one thread steps and publishes.
 */
public final class SegmentWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.heatgrid.segment");
    private static final long HEARTBEAT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * The buffer being written: its generation and a writable view of each field.
     *
     * @param generation the generation this frame will have when published
     * @param fields     one view per field, {@code nx * ny} float64 each
     */
    public record BackFrame(long generation, List<MemorySegment> fields) {
    }

    private final SegmentFile file;
    private final SegmentLayout layout;
    private final MemorySegment header;
    private final FrameStore frames;
    private final SharedLock lock;
    private final ControlArea control;
    private final WriterRecord record;
    private final MemorySegment futexWord;
    /** Per buffer, one writable and one read-only view of each field: made once, not per step. */
    private final List<List<MemorySegment>> writableFields;
    private final List<List<MemorySegment>> readOnlyFields;
    private final WriterGate gate;
    private WriterRun run;
    private long published;
    private BackFrame back;
    private long lastHeartbeat;
    private long seenCommandSeq;
    private long wakes;
    private BooleanSupplier stopWaiting = () -> false;

    private SegmentWriter(SegmentFile file) {
        this.file = file;
        this.layout = file.layout();
        this.header = file.mapping().asSlice(0, HEADER_SIZE);
        this.frames = new FrameStore(file.mapping(), layout, file.path());
        this.lock = new SharedLock(header, file.path(), layout.segmentId());
        this.control = new ControlArea(header, file.path());
        this.record = file.writerRecord();
        this.futexWord = header.asSlice(GENERATION_FUTEX_OFFSET, Integer.BYTES);
        var writable = new ArrayList<List<MemorySegment>>(layout.buffers());
        var readOnly = new ArrayList<List<MemorySegment>>(layout.buffers());
        for (int b = 0; b < layout.buffers(); b++) {
            var fields = new ArrayList<MemorySegment>(layout.fields().size());
            for (int f = 0; f < layout.fields().size(); f++) {
                fields.add(frames.field(b, f));
            }
            writable.add(List.copyOf(fields));
            readOnly.add(fields.stream().map(MemorySegment::asReadOnly).toList());
        }
        this.writableFields = List.copyOf(writable);
        this.readOnlyFields = List.copyOf(readOnly);
        this.published = frames.generation();
        this.seenCommandSeq = control.takenSeq();
        this.gate = new WriterGate(new ConsumerTable(header, 0), file, layout.buffers(), this::heartbeat);
    }

    /** Creates a new segment (mode 0600) and becomes its writer. */
    public static SegmentWriter create(Path path, SegmentSpec spec) throws IOException {
        return create(path, spec, CreateOptions.DEFAULT);
    }

    /**
     * Creates a new segment and becomes its writer. An existing segment under that name is replaced
     * only if it has no live writer and was not kept (unless {@code options.replaceKept()}); readers
     * still attached to it keep the old file until they notice and re-attach.
     *
     * @throws SegmentBusyException   another live writer has the name, or an earlier run kept it
     * @throws CreateOptionException  an option cannot be honoured (e.g. no such group)
     */
    public static SegmentWriter create(Path path, SegmentSpec spec, CreateOptions options) throws IOException {
        SegmentLayout layout = SegmentLayout.forNewSegment(spec);
        WriterRun[] claimed = new WriterRun[1];
        SegmentFile file = SegmentCreation.create(path, layout, options, mapping -> claimed[0] =
                new WriterRecord(mapping.asSlice(0, HEADER_SIZE)).claim(ProcessIdentity.current(), System.nanoTime()));
        SegmentWriter writer = new SegmentWriter(file);
        writer.run = claimed[0];
        return writer;
    }

    /**
     * Opens an existing segment read-write and becomes its writer again, continuing from its last
     * published generation. Fails fast, naming the owner's pid, if a live writer holds it. Commands
     * posted to an earlier writer are discarded (and logged) when they are taken.
     *
     * @param allowOtherOwner accept a segment that belongs to another user
     */
    public static SegmentWriter resume(Path path, boolean allowOtherOwner) throws IOException {
        SegmentFile file = SegmentFile.open(path, SegmentFile.Access.READ_WRITE, allowOtherOwner);
        try {
            file.acquireWriterRole();
            SegmentWriter writer = new SegmentWriter(file);
            writer.checkResumable();
            writer.run = writer.record.claim(ProcessIdentity.current(), System.nanoTime());
            return writer;
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public static SegmentWriter resume(Path path) throws IOException {
        return resume(path, false);
    }

    private void checkResumable() throws IOException {
        if (published == 0) {
            throw new NothingToResumeException(file.path());
        }
        int buffer = layout.bufferOf(published);
        if (frames.seqAcquire(buffer) != FrameDescriptor.completeSeq(published)) {
            throw new FrameCorruptedException(file.path(), published, "its buffer's sequence word is "
                    + frames.seqAcquire(buffer) + ", not " + FrameDescriptor.completeSeq(published));
        }
        long[] sums = frames.checksums(buffer);
        frames.verify(published, frames.readHeader(buffer), frames.parametersDamage(buffer), f -> true, f -> sums[f]);
    }

    /**
     * Lets lock waits end early: while this says true, waiting for a steering client's lock stops
     * with an {@link java.io.InterruptedIOException} (the lease bounds the wait anyway, to about
     * a second). A run passes "abandon the step now" here.
     */
    public void stopWaitingWhen(BooleanSupplier condition) {
        this.stopWaiting = condition;
    }

    public SegmentLayout layout() {
        return layout;
    }

    public Path path() {
        return file.path();
    }

    /** This writer's run: the address steering commands must carry. */
    public WriterRun writerRun() {
        return run;
    }

    /** Newest published generation (0 before the first publish). */
    public long generation() {
        return published;
    }

    /** Header of the newest published frame; null before the first publish. */
    public FrameHeader publishedHeader() {
        return published == 0 ? null : frames.readHeader(layout.bufferOf(published));
    }

    /** Read-only view of field {@code f} of the newest published frame (what a kernel steps from). */
    public MemorySegment publishedField(int f) {
        return publishedFields().get(f);
    }

    /** Read-only views of every field of the newest published frame; the same list until the next publish. */
    public List<MemorySegment> publishedFields() {
        if (published == 0) {
            throw new IllegalStateException("nothing published yet");
        }
        return readOnlyFields.get(layout.bufferOf(published));
    }

    /**
     * Starts the next frame: marks buffer {@code (g+1) mod N} in progress and returns writable views
     * of its fields. Readers still reading that buffer's older frame will fail validation and retry.
     * If a live gating consumer has not finished the generation that buffer holds, this first waits
     * for it (at most that consumer's stall bound; see {@link GatingConsumer}).
     * (A file truncated under the writer makes this, or any store into the fields, raise the JDK's
     * asynchronous {@link InternalError}: {@link #explainFault} names it.)
     */
    public BackFrame beginFrame() {
        if (back != null) {
            return back; // still unpublished: keep filling the same buffer
        }
        long generation = published + 1;
        int buffer = layout.bufferOf(generation);
        // Before the odd mark: that store is the first that can spoil the frame a gating consumer reads.
        gate.awaitReusable(generation);
        frames.markInProgress(buffer, generation);
        back = new BackFrame(generation, writableFields.get(buffer));
        return back;
    }

    /**
     * Publishes the frame begun with {@link #beginFrame()}: under the shared lock, writes its header,
     * marks it complete and advances the generation, then wakes waiting readers.
     *
     * @param stats per-field statistics including each field's {@link FrameChecksum}
     * @throws SegmentGoneException the file was truncated under the mapping
     */
    public void publish(long step, double time, List<FieldStats> stats, String params) throws IOException {
        if (back == null) {
            throw new IllegalStateException("publish without beginFrame");
        }
        if (stats.size() != layout.fields().size()) {
            throw new IllegalArgumentException(stats.size() + " statistics for " + layout.fields().size() + " fields");
        }
        long generation = back.generation();
        int buffer = layout.bufferOf(generation);
        lock.lock(Long.MAX_VALUE, stopWaiting);
        boolean kept;
        try {
            long now = System.nanoTime();
            frames.writeHeader(buffer, generation, step, time, now, stats, params);
            frames.publish(generation);
            record.heartbeat(now);
            lastHeartbeat = now;
        } catch (InternalError fault) {
            throw file.explainFault(fault);
        } finally {
            kept = lock.unlock();
        }
        if (!kept) {
            LOG.log(System.Logger.Level.WARNING, "the lock lease of segment {0} expired while generation {1} was"
                    + " published (was this process stopped?); the frame is complete, a client took the lock meanwhile",
                    file.path(), Long.toString(generation));
        }
        published = generation;
        back = null;
        wakeReaders();
    }

    /** Publishes the begun frame, computing statistics with a pass over its data. */
    public void publish(long step, double time, String params) throws IOException {
        var stats = new ArrayList<FieldStats>();
        for (MemorySegment field : beginFrame().fields()) {
            stats.add(FrameStatistics.of(field, layout.cells(), layout.spec().dx(), layout.spec().dy()));
        }
        publish(step, time, stats, params);
    }

    /** Says the writer is alive (at most one store per 10 ms, so calling it every step is free). */
    public void heartbeat() {
        long now = System.nanoTime();
        if (now - lastHeartbeat >= HEARTBEAT_INTERVAL_NANOS) {
            record.heartbeat(now);
            lastHeartbeat = now;
        }
    }

    /** Tells readers what the writer is doing. */
    public void setState(WriterState state) {
        record.setState(state);
        heartbeat();
    }

    /**
     * The next steering command for this writer run, or null. The common case costs one acquire
     * load; the slot is read and freed under the shared lock. A command that is not for this run,
     * has expired, or whose seal does not match is discarded here: logged, and recorded in the
     * command log with {@link CommandRecord#DISCARDED} and the reason, so its poster learns why.
     */
    public SteeringCommand takeCommand() throws IOException {
        while (control.postedSeq() != seenCommandSeq) {
            ControlArea.Take take;
            lock.lock(Long.MAX_VALUE, stopWaiting);
            try {
                take = control.take(run);
                seenCommandSeq = control.takenSeq();
            } finally {
                lock.unlock(); // whether or not the lease held: the slot is guarded by its seal and seq
            }
            if (take == null) {
                return null;
            }
            if (take.accepted()) {
                return take.command();
            }
            LOG.log(System.Logger.Level.WARNING, "segment {0}: discarded steering command {1} (seq {2}, from pid {3}):"
                    + " {4}", file.path(), take.command(), Long.toString(take.command().seq()),
                    Long.toString(take.command().posterPid()), take.discardReason());
            recordCommand(take.command(), published == 0 ? 0 : publishedHeader().step(),
                    CommandOutcome.discarded(take.discardReason()));
        }
        return null;
    }

    /**
     * Logs what became of a command, under the shared lock, with its one-line explanation for the
     * poster and for viewers; the explanation is kept until the next command's replaces it.
     */
    public void recordCommand(SteeringCommand command, long step, CommandOutcome outcome) throws IOException {
        lock.lock(Long.MAX_VALUE, stopWaiting);
        try {
            control.record(command, step, published, outcome.verdict().code(), outcome.message());
        } finally {
            lock.unlock();
        }
    }

    /** How many times this writer took the shared lock over from a dead process. */
    public long lockRecoveries() {
        return lock.recoveries();
    }

    /** How many times this writer took the shared lock over from a live holder past its lease. */
    public long lockTakeovers() {
        return lock.takeovers();
    }

    /**
     * Turns a fault in the mapping (the JDK's asynchronous {@link InternalError} after SIGBUS, e.g.
     * in a kernel writing a field) into {@link SegmentGoneException} when the file was truncated;
     * rethrows any other fault.
     */
    public SegmentGoneException explainFault(InternalError fault) {
        return file.explainFault(fault);
    }

    /** FUTEX_WAKE, only if a reader announced that it may be asleep ({@link Waiters} has the proof). */
    private void wakeReaders() {
        if (Futex.AVAILABLE && Waiters.take(header)) {
            wakes++;
            Futex.wakeAll(futexWord);
        }
    }

    /** FUTEX_WAKE system calls made so far (tests: none while no reader waits). */
    long wakes() {
        return wakes;
    }

    /**
     * Leaves the writer role: state EXITED, readers woken so they notice, writer lock released. The
     * file is removed if no other process is attached and it was not created to be kept. A file
     * truncated under the writer is left as it is (its header is gone).
     */
    @Override
    public void close() throws IOException {
        try {
            file.checkIntact();
            setState(WriterState.EXITED);
            wakeReaders();
        } catch (SegmentGoneException e) {
            // nothing to say in a header that is gone; whoever used the writer has heard (a publish failed)
        } finally {
            file.close();
        }
    }
}
