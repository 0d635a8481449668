package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
 * few stores at a time.
 *
 * <p>Not thread-safe: one thread steps and publishes.
 */
public final class SegmentWriter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.heatgrid.segment");
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** How long a publish waits for a live steering client before it logs and keeps waiting. */
    private static final long LOCK_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final long HEARTBEAT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * How to create a segment.
     *
     * @param replaceKept replace an existing segment that was kept by an earlier run
     * @param group       if non-null, make the file readable by this group (mode 0640) instead of 0600
     */
    public record CreateOptions(boolean replaceKept, String group) {
        public static final CreateOptions DEFAULT = new CreateOptions(false, null);
    }

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
    private final MemorySegment futexWord;
    /** Per buffer, one writable and one read-only view of each field: made once, not per step. */
    private final List<List<MemorySegment>> writableFields;
    private final List<List<MemorySegment>> readOnlyFields;
    private final WriterGate gate;
    private long published;
    private BackFrame back;
    private long lastHeartbeat;
    private long seenCommandSeq;
    private long wakes;

    private SegmentWriter(SegmentFile file) {
        this.file = file;
        this.layout = file.layout();
        this.header = file.mapping().asSlice(0, HEADER_SIZE);
        this.frames = new FrameStore(file.mapping(), layout, file.path());
        this.lock = new SharedLock(header, file.path(), layout.segmentId());
        this.control = new ControlArea(header, file.path());
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
     */
    public static SegmentWriter create(Path path, SegmentSpec spec, CreateOptions options) throws IOException {
        SegmentLayout layout = SegmentLayout.forNewSegment(spec);
        SegmentFile file = SegmentFile.create(path, layout, options, SegmentWriter::claimWriterSlot);
        return new SegmentWriter(file);
    }

    /**
     * Opens an existing segment read-write and becomes its writer again, continuing from its last
     * published generation. Fails fast, naming the owner's pid, if a live writer holds it.
     */
    public static SegmentWriter resume(Path path, boolean allowOtherOwner) throws IOException {
        SegmentFile file = SegmentFile.open(path, SegmentFile.Access.READ_WRITE, allowOtherOwner);
        try {
            file.acquireWriterRole();
            SegmentWriter writer = new SegmentWriter(file);
            writer.checkResumable();
            claimWriterSlot(writer.header);
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
            throw new IOException("segment " + file.path() + " has no published frame to resume from (its writer"
                    + " stopped before publishing the first one); start it again without resuming");
        }
        int buffer = layout.bufferOf(published);
        if (frames.seqAcquire(buffer) != FrameDescriptor.completeSeq(published)) {
            throw new FrameCorruptedException(file.path(), published, "its buffer's sequence word is "
                    + frames.seqAcquire(buffer) + ", not " + FrameDescriptor.completeSeq(published));
        }
        frames.verify(published, frames.readHeader(buffer), frames.checksums(buffer));
    }

    /** Records this process as the writer (identity first, state last, so inspectors see a whole record). */
    private static void claimWriterSlot(MemorySegment header) {
        ProcessIdentity me = ProcessIdentity.current();
        WORD.setOpaque(header, (long) WRITER_PID_OFFSET, me.pid());
        WORD.setOpaque(header, (long) WRITER_START_OFFSET, me.startToken());
        WORD.setOpaque(header, (long) WRITER_HEARTBEAT_OFFSET, System.nanoTime());
        INT.setRelease(header, (long) WRITER_STATE_OFFSET, WriterState.RUNNING.code());
    }

    public SegmentLayout layout() {
        return layout;
    }

    public Path path() {
        return file.path();
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
        lockPatiently();
        try {
            long now = System.nanoTime();
            frames.writeHeader(buffer, generation, step, time, now, stats, params);
            frames.publish(generation);
            WORD.setOpaque(header, (long) WRITER_HEARTBEAT_OFFSET, now);
            lastHeartbeat = now;
        } finally {
            lock.unlock();
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
            WORD.setOpaque(header, (long) WRITER_HEARTBEAT_OFFSET, now);
            lastHeartbeat = now;
        }
    }

    /** Tells readers what the writer is doing. */
    public void setState(WriterState state) {
        INT.setRelease(header, (long) WRITER_STATE_OFFSET, state.code());
        heartbeat();
    }

    /**
     * The next steering command, or null. The common case costs one acquire load; the slot is read
     * and freed under the shared lock.
     */
    public SteeringCommand takeCommand() throws IOException {
        if (control.postedSeq() == seenCommandSeq) {
            return null;
        }
        lockPatiently();
        try {
            SteeringCommand command = control.take();
            seenCommandSeq = control.takenSeq();
            return command;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Logs what became of a command, under the shared lock, with its one-line explanation for the
     * poster and for viewers; the explanation is kept until the next command's replaces it.
     */
    public void recordCommand(SteeringCommand command, long step, CommandOutcome outcome) throws IOException {
        lockPatiently();
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

    private void lockPatiently() throws SegmentBusyException {
        while (true) {
            try {
                lock.lock(LOCK_PATIENCE_NANOS);
                return;
            } catch (SegmentBusyException e) {
                if (e.ownerPid() == 0) {
                    throw e;
                }
                // A live holder is never robbed: say who blocks us and keep waiting.
                LOG.log(System.Logger.Level.WARNING, "{0}; still waiting", e.getMessage());
            }
        }
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
     * file is removed if no other process is attached and it was not created to be kept.
     */
    @Override
    public void close() throws IOException {
        try {
            setState(WriterState.EXITED);
            wakeReaders();
        } finally {
            file.close();
        }
    }
}
