package dev.heatgrid.record;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameCorruptedException;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.GatingConsumer;
import dev.heatgrid.segment.PathState;
import dev.heatgrid.segment.SegmentGoneException;
import dev.heatgrid.segment.SegmentLayout;
import dev.heatgrid.segment.WriterState;
import dev.heatgrid.segment.WriterStatus;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Records a run: a reader process that appends frames to a {@link FrameSink} until the writer exits
 * (or a frame count, a duration, or a stop request), across restarts of the same run's writer
 * ({@code run --resume}). Every recorded frame is exactly a published frame whose checksums were
 * verified on the copy that is written.
 *
 * <p>Two ways to read. By default the recorder is an ordinary reader: it never slows the writer; when
 * it falls behind it records the newest frame and counts the generations it skipped. With
 * {@link Settings#everyFrame()} it joins the segment's gate as a {@link GatingConsumer}: the writer
 * waits for it, so no generation is lost unless the writer drops it (it stalled past its gate
 * timeout, or looked dead), which the recorder reports, counting what was lost, and then joins again.
 * The last frame of a run is always recorded.
 */
public final class Recorder {
    /** How often the loop looks at stop conditions and the writer's health while no frame comes. */
    private static final long POLL_MILLIS = 100;
    private static final long ATTACH_RETRY_MILLIS = 200;
    private static final long PATH_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    /**
     * What to record.
     *
     * @param fields       field names to record, in this order; empty: all of the segment's fields
     * @param every        record one generation in this many (1: every one)
     * @param interval     record the newest frame at most this often (null: no such limit); not with everyFrame
     * @param downsample   K: record the mean of each K x K block (1: every cell)
     * @param maxFrames    stop after this many frames (0: no limit)
     * @param duration     stop after this long (null: no limit)
     * @param everyFrame   gate the writer so that no generation is lost
     * @param gateTimeout  with everyFrame: how long the writer may wait for this recorder
     * @param allowOtherOwner read a segment that belongs to another user
     */
    public record Settings(List<String> fields, long every, Duration interval, int downsample, long maxFrames,
                           Duration duration, boolean everyFrame, Duration gateTimeout, boolean allowOtherOwner) {
        public Settings {
            fields = List.copyOf(fields);
            if (every < 1) {
                throw new IllegalArgumentException("every must be at least 1, not " + every);
            }
            if (downsample < 1) {
                throw new IllegalArgumentException("downsample must be at least 1, not " + downsample);
            }
            if (maxFrames < 0) {
                throw new IllegalArgumentException("frames must not be negative");
            }
            if (everyFrame && interval != null) {
                throw new IllegalArgumentException("an interval and every frame contradict each other");
            }
        }

        public static Settings defaults() {
            return new Settings(List.of(), 1, null, 1, 0, null, false, GatingConsumer.DEFAULT_STALL_BOUND, false);
        }
    }

    /** Why a recording ended. */
    public enum End {
        /** The writer exited cleanly and its last frame is recorded. */
        WRITER_EXITED,
        /** The requested number of frames was recorded. */
        FRAMES,
        /** The requested duration passed. */
        DURATION,
        /** A stop was requested (Ctrl-C). */
        STOPPED,
        /** The segment was replaced by a new run, or removed with no writer left to resume it. */
        SEGMENT_GONE
    }

    /**
     * How a recording is going.
     *
     * @param recorded frames in the file
     * @param skipped  generations the cadence wanted but the recorder was too slow to take (default mode)
     * @param lost     generations lost although every frame was asked for (the writer dropped the recorder)
     * @param first    generation of the first recorded frame (0: none yet)
     * @param last     generation of the newest recorded frame
     * @param bytes    field bytes written
     * @param nanos    time since recording started
     */
    public record Counts(long recorded, long skipped, long lost, long first, long last, long bytes, long nanos) {
        public double framesPerSecond() {
            return nanos == 0 ? 0 : recorded / (nanos / 1e9);
        }

        public double megabytesPerSecond() {
            return nanos == 0 ? 0 : bytes / 1e6 / (nanos / 1e9);
        }
    }

    /** A finished recording. */
    public record Result(End end, Counts counts, RunDescription run) {
    }

    /** Progress and notices (the CLI prints them on stderr). Called on the recording thread. */
    public interface Events {
        /** A notice worth a line: waiting, writer gone or back, dropped from the gate, frames lost. */
        void note(String message);

        /** After every recorded frame. */
        default void recorded(Counts counts) {
        }
    }

    /** Opens the output once the recorded grid is known. */
    public interface SinkFactory {
        FrameSink open(RunDescription run) throws IOException;
    }

    private final Path segment;
    private final Settings settings;
    private final SinkFactory sinks;
    private final Events events;

    private FrameReader reader;
    private FrameSink sink;
    private RunDescription run;
    private Frame frame;
    private BlockMean blocks;
    private int[] fieldIndexes;
    private List<double[]> reduced;
    private long started;
    private long recorded;
    private long skipped;
    private long lost;
    private long first;
    private long last;
    private long lastRecordedAt;
    private long nextPathCheck;
    private long writerPid;
    private boolean writerGoneNoted;
    private boolean overtakenNoted;

    public Recorder(Path segment, Settings settings, SinkFactory sinks, Events events) {
        this.segment = segment;
        this.settings = settings;
        this.sinks = sinks;
        this.events = events;
    }

    /**
     * Records until the run ends or a limit is reached; {@code stop} is polled at least every 100 ms.
     * The output is complete (closed) when this returns, also after a failure.
     */
    public Result run(BooleanSupplier stop) throws IOException, InterruptedException {
        started = System.nanoTime();
        // Closed in reverse order, the sink first; a failure to close never hides the failure that ended the run.
        try (Closeable unmap = () -> {
                 if (reader != null) {
                     reader.close();
                 }
             };
             Closeable finish = () -> {
                 if (sink != null) {
                     sink.close();
                 }
             }) {
            End end = attach(stop);
            if (end == null) {
                sink = sinks.open(run);
                end = settings.everyFrame() ? recordEveryFrame(stop) : recordNewest(stop);
            }
            return new Result(end, counts(), run);
        }
    }

    /** What the recording looks like (null before the segment was attached). */
    public RunDescription description() {
        return run;
    }

    private End attach(BooleanSupplier stop) throws IOException, InterruptedException {
        boolean noted = false;
        while (true) {
            try {
                reader = FrameReader.open(segment, settings.allowOtherOwner());
                break;
            } catch (NoSuchFileException e) {
                if (!noted) {
                    events.note("waiting for segment " + segment + " to appear");
                    noted = true;
                }
            }
            End end = limitReached(stop);
            if (end != null) {
                return end;
            }
            Thread.sleep(ATTACH_RETRY_MILLIS);
        }
        SegmentLayout layout = reader.layout();
        List<String> names = settings.fields().isEmpty() ? layout.fields() : settings.fields();
        fieldIndexes = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            fieldIndexes[i] = layout.fields().indexOf(names.get(i));
            if (fieldIndexes[i] < 0) {
                throw new IllegalArgumentException("segment " + segment + " has no field '" + names.get(i) + "'; it has "
                        + String.join(", ", layout.fields()));
            }
        }
        int k = settings.downsample();
        blocks = k == 1 ? null : new BlockMean(k, layout.nx(), layout.ny());
        if (blocks != null && (layout.nx() % k != 0 || layout.ny() % k != 0)) {
            events.note("downsampling " + layout.nx() + "x" + layout.ny() + " by " + k + " keeps whole blocks only: the"
                    + " last " + layout.nx() % k + " column(s) and " + layout.ny() % k + " row(s) are left out");
        }
        run = RunDescription.of(segment, layout, names, k, settings.everyFrame());
        frame = Frame.shapedFor(layout);
        reduced = new ArrayList<>();
        for (int index : fieldIndexes) {
            reduced.add(blocks == null ? frame.field(index) : new double[run.nx() * run.ny()]);
        }
        writerPid = reader.writer().pid();
        return null;
    }

    // ------------------------------------------------------------------------------------------
    // Default: the newest frames, never slowing the writer

    private End recordNewest(BooleanSupplier stop) throws IOException, InterruptedException {
        while (true) {
            End end = limitReached(stop);
            if (end != null) {
                return end;
            }
            long newest = reader.generation();
            if (newest > last && due(newest)) {
                long got = newestFrame();
                if (got > last) {
                    if (last > 0) {
                        long behind = (got - last) / settings.every() - 1;
                        skipped += Math.max(0, behind);
                    }
                    record();
                    continue;
                }
            }
            if (reader.awaitNewer(Math.max(newest, last), POLL_MILLIS, TimeUnit.MILLISECONDS) == 0) {
                end = checkWriter();
                if (end != null) {
                    return end;
                }
            }
        }
    }

    /**
     * The newest consistent frame, or 0 if the writer kept overtaking the copy (a loaded machine, a
     * large grid, few buffers): that is skipping, not a failure; the recorder tries again.
     */
    private long newestFrame() throws IOException {
        try {
            return reader.latest(frame);
        } catch (SegmentGoneException | FrameCorruptedException e) {
            throw e;
        } catch (java.io.InterruptedIOException e) {
            throw e;
        } catch (IOException overtaken) {
            if (!overtakenNoted) {
                events.note(overtaken.getMessage()
                        + "; still trying (recording every frame would make the writer wait)");
                overtakenNoted = true;
            }
            return 0;
        }
    }

    private boolean due(long newest) {
        if (last == 0) {
            return true;
        }
        if (settings.interval() != null) {
            return System.nanoTime() - lastRecordedAt >= settings.interval().toNanos();
        }
        return newest - last >= settings.every();
    }

    // ------------------------------------------------------------------------------------------
    // --every-frame: a gating consumer, losing nothing

    private End recordEveryFrame(BooleanSupplier stop) throws IOException, InterruptedException {
        GatingConsumer gate = GatingConsumer.join(reader, settings.gateTimeout());
        try {
            long phase = gate.first();
            long g = gate.first();
            while (true) {
                End end = limitReached(stop);
                if (end != null) {
                    return end;
                }
                if (reader.generation() < g) {
                    if (reader.awaitNewer(g - 1, POLL_MILLIS, TimeUnit.MILLISECONDS) == 0) {
                        end = checkWriter();
                        if (end != null) {
                            return end;
                        }
                    }
                    continue;
                }
                // The run's last frame, when the cadence passes it by, is taken once the writer is seen exited.
                if ((g - phase) % settings.every() == 0) {
                    if (reader.copyGeneration(g, frame)) {
                        record();
                    } else {
                        lost++;
                    }
                }
                gate.finished(g);
                if (gate.dropped()) {
                    String reason = gate.dropReason();
                    gate.close();
                    gate = GatingConsumer.join(reader, settings.gateTimeout());
                    long rejoinedAt = gate.first();
                    long missed = Math.max(0, rejoinedAt - g - 1);
                    lost += missed;
                    events.note(reason + "; joined again at generation " + rejoinedAt + " (" + missed
                            + " generation(s) after " + g + " may be missing from the recording)");
                    g = Math.max(g + 1, rejoinedAt);
                    phase = g;
                    continue;
                }
                g++;
            }
        } finally {
            gate.close();
        }
    }

    // ------------------------------------------------------------------------------------------

    private void record() throws IOException {
        if (writerGoneNoted) {
            noticeNewWriter(reader.writer()); // a frame after the writer died: a resumed run wrote it
        }
        if (blocks != null) {
            for (int i = 0; i < fieldIndexes.length; i++) {
                blocks.reduce(frame.field(fieldIndexes[i]), reduced.get(i));
            }
        }
        var header = frame.header();
        sink.append(new RecordedFrame(header.generation(), header.step(), header.time(), header.params(), reduced));
        if (recorded == 0) {
            first = header.generation();
        }
        recorded++;
        last = header.generation();
        lastRecordedAt = System.nanoTime();
        events.recorded(counts());
    }

    private Counts counts() {
        return new Counts(recorded, skipped, lost, first, last, recorded * (run == null ? 0 : run.frameBytes()),
                System.nanoTime() - started);
    }

    /**
     * Says once when another writer run (a resume) took over the segment. Asked while no frame comes
     * and at the first frame after the writer was found gone: a resumed writer that publishes without
     * pause, then exits, would otherwise never be seen running.
     */
    private void noticeNewWriter(WriterStatus writer) {
        if (writer.pid() == 0 || writer.pid() == writerPid || !(writer.alive() || writer.state() == WriterState.EXITED)) {
            return;
        }
        if (writerPid != 0) {
            events.note("a new solver (pid " + writer.pid() + ") continues the run from generation "
                    + reader.generation());
        }
        writerPid = writer.pid();
        writerGoneNoted = false;
    }

    private End limitReached(BooleanSupplier stop) {
        if (stop.getAsBoolean()) {
            return End.STOPPED;
        }
        if (settings.maxFrames() > 0 && recorded >= settings.maxFrames()) {
            return End.FRAMES;
        }
        if (settings.duration() != null && System.nanoTime() - started >= settings.duration().toNanos()) {
            return End.DURATION;
        }
        return null;
    }

    /**
     * While no frame comes: did the writer exit (take its last frame, then end), die (wait for a resume),
     * come back, or was the segment replaced or removed? A writer's last frame is always recorded: both
     * modes come here only once they have passed every published generation, so it is taken in order.
     */
    private End checkWriter() throws IOException {
        WriterStatus writer = reader.writer();
        noticeNewWriter(writer);
        if (writer.state() == WriterState.EXITED) {
            long newest = reader.generation();
            if (newest > last && newestFrame() > last) {
                record();
            }
            if (reader.generation() == newest) {
                return End.WRITER_EXITED;
            }
        } else if (writer.pid() != 0 && !writer.alive()) {
            if (!writerGoneNoted) {
                events.note("the solver (pid " + writer.pid() + ") is gone without exiting; waiting for a new"
                        + " writer to resume the segment, Ctrl-C to stop recording");
                writerGoneNoted = true;
            }
        }
        long now = System.nanoTime();
        if (now - nextPathCheck >= 0) {
            nextPathCheck = now + PATH_CHECK_NANOS;
            PathState path = reader.pathState();
            if (path == PathState.REPLACED) {
                events.note("segment " + segment + " was replaced by a new run; this recording ends at generation "
                        + last);
                return End.SEGMENT_GONE;
            }
            if (path == PathState.REMOVED && writer.state() != WriterState.EXITED && !writer.alive()) {
                events.note("segment " + segment + " was removed and its solver is gone; nothing can resume it");
                return End.SEGMENT_GONE;
            }
        }
        return null;
    }
}
