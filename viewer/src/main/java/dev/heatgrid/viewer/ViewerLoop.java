package dev.heatgrid.viewer;

import dev.heatgrid.segment.FrameCorruptedException;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentGoneException;
import dev.heatgrid.segment.SegmentLayout;
import java.awt.Dimension;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The viewer's reading thread: follows the segment through the solver's life, waits for new
 * generations with the segment's futex wait (no busy spin), renders the newest one at most
 * {@code fps} times a second and only when the sink can take it, and counts the generations it
 * coalesced. Every failure becomes status text; the last good frame stays on display.
 */
final class ViewerLoop implements Runnable, AutoCloseable {
    private static final long STATUS_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int COMMANDS_SHOWN = 3;

    private final SegmentFollower follower;
    private final HeatmapRenderer renderer;
    private final FrameSink sink;
    private final PaintMeter paints;
    private final long frameInterval;
    private final RateMeter solverSteps = new RateMeter();

    private volatile boolean stopped;
    private volatile boolean redrawRequested;
    private volatile String requestedField;
    /** Bumped by {@link #selectField}; the loop re-resolves the field when it moves. */
    private final AtomicLong fieldRequests = new AtomicLong();
    private volatile Thread thread;

    // Loop-thread state.
    private int fieldIndex;
    private String fieldName;
    private String fieldProblem;
    private long fieldRequestsResolved = -1;
    private long lastShown;
    private long lastSeen;
    private long skipped;
    private long nextFrameAt = System.nanoTime(); // nanoTime may be negative: never compare with a bare 0
    private long nextStatusAt = System.nanoTime();
    private ChecksumState checksum = ChecksumState.NONE;
    private String warning;
    private final SolverWatch solver = new SolverWatch(COMMANDS_SHOWN);

    ViewerLoop(Path segment, ViewerOptions options, FrameSink sink, PaintMeter paints) {
        this.follower = new SegmentFollower(segment, options.allowOtherOwner());
        this.renderer = new HeatmapRenderer(options);
        this.sink = sink;
        this.paints = paints;
        this.frameInterval = options.frameIntervalNanos();
        this.requestedField = options.field();
    }

    /** Runs the loop on a new daemon thread. */
    Thread start() {
        Thread t = Thread.ofPlatform().daemon().name("heatgrid-viewer " + follower.path().getFileName()).unstarted(this);
        thread = t;
        t.start();
        return t;
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        SchedulingPriority.lowerCurrentThread();
        try {
            while (!stopped) {
                try {
                    step();
                } catch (RuntimeException | Error e) {
                    String surprise = follower.surprise(e); // keep the last frame and carry on
                    if (surprise != null) {
                        warning = "viewer error: " + surprise;
                    }
                    try {
                        publishStatus(System.nanoTime(), true);
                    } catch (RuntimeException again) {
                        // the sink itself fails: nothing left to tell; keep trying
                    }
                    pause(MAX_WAIT_NANOS);
                }
            }
        } catch (InterruptedException e) {
            // stop() interrupts a sleeping loop: leave quietly
        } finally {
            follower.close();
        }
    }

    /** Shows another field from the next frame on (any thread). */
    void selectField(String name) {
        requestedField = name;
        fieldRequests.incrementAndGet();
        redrawRequested = true;
    }

    void setColorMap(ColorMap map) {
        renderer.setColorMap(map);
        redrawRequested = true;
    }

    void setFixedRange(ValueRange range) {
        renderer.setFixedRange(range);
        redrawRequested = true;
    }

    void setReduction(Reduction reduction) {
        renderer.setReduction(reduction);
        redrawRequested = true;
    }

    /** Renders the newest frame again (the panel was resized), even if no newer generation came. */
    void redraw() {
        redrawRequested = true;
    }

    /** Gives an image the sink no longer displays back for reuse (any thread). */
    void recycle(RenderedFrame frame) {
        renderer.recycle(frame.image());
    }

    private void step() throws InterruptedException {
        long now = System.nanoTime();
        if (follower.poll() == SegmentFollower.Change.ATTACHED) {
            newRun();
        }
        publishStatus(now, false); // reads the header: may find the file truncated and detach
        FrameReader reader = follower.reader();
        if (reader == null) {
            pause(SegmentFollower.RETRY_NANOS / 4);
            return;
        }
        if (fieldRequests.get() != fieldRequestsResolved) {
            resolveField(reader.layout());
        }
        long newest = reader.generation();
        if (newest <= lastSeen && !redrawRequested) {
            reader.awaitNewer(lastSeen, MAX_WAIT_NANOS, TimeUnit.NANOSECONDS);
            return;
        }
        if (now - nextFrameAt < 0) {
            pause(Math.min(nextFrameAt - now, MAX_WAIT_NANOS)); // newer generations pile up: we show only the newest
            return;
        }
        if (!redrawRequested && !sink.wants(newest, now)) {
            reader.awaitNewer(newest, MAX_WAIT_NANOS / 2, TimeUnit.NANOSECONDS);
            return;
        }
        if (sink.awaitReady(MAX_WAIT_NANOS)) {
            render(reader, now);
        }
    }

    private void render(FrameReader reader, long now) throws InterruptedException {
        redrawRequested = false;
        nextFrameAt = now + frameInterval;
        Dimension target = sink.targetSize();
        RenderedFrame frame;
        try {
            frame = renderer.renderNewest(reader, fieldIndex, target.width, target.height);
        } catch (FrameCorruptedException e) {
            checksum = checksum.failed(e.generation(), e.getMessage());
            lastSeen = Math.max(lastSeen, e.generation()); // that frame stays bad: wait for a newer one
            publishStatus(now, true);
            return;
        } catch (SegmentGoneException e) {
            follower.lost(e);
            publishStatus(now, true);
            return;
        } catch (IOException | RuntimeException e) {
            warning = "reading " + follower.path() + " failed: " + e.getMessage();
            publishStatus(now, true);
            pause(MAX_WAIT_NANOS);
            return;
        }
        if (frame == null) {
            return;
        }
        long generation = frame.generation();
        if (lastShown != 0 && generation > lastSeen + 1) {
            skipped += generation - lastSeen - 1;
        }
        lastShown = generation;
        lastSeen = Math.max(lastSeen, generation);
        checksum = checksum.passed();
        warning = null;
        solverSteps.record(frame.header().publishNanos(), frame.header().step());
        sink.show(frame);
        publishStatus(now, false);
    }

    private void newRun() {
        lastShown = 0;
        lastSeen = 0;
        skipped = 0;
        nextFrameAt = System.nanoTime();
        checksum = ChecksumState.NONE;
        warning = null;
        solverSteps.reset();
        renderer.resetRange();
        SegmentLayout layout = follower.reader().layout();
        resolveField(layout);
        sink.runStarted(layout, fieldName);
        publishStatus(System.nanoTime(), true);
    }

    /** Picks the requested field; a missing one is reported, with the choices, and the first shown instead. */
    private void resolveField(SegmentLayout layout) {
        fieldRequestsResolved = fieldRequests.get();
        String wanted = requestedField;
        List<String> fields = layout.fields();
        int index = wanted == null ? 0 : fields.indexOf(wanted);
        fieldProblem = index >= 0 ? null : "no field '" + wanted + "' in " + follower.path() + "; it has "
                + String.join(", ", fields) + " (showing " + fields.get(0) + ")";
        index = Math.max(index, 0);
        if (!fields.get(index).equals(fieldName)) {
            renderer.resetRange();
        }
        fieldIndex = index;
        fieldName = fields.get(index);
        redrawRequested = true;
    }

    private void publishStatus(long now, boolean force) {
        if (!force && now - nextStatusAt < 0) {
            return;
        }
        nextStatusAt = now + STATUS_INTERVAL_NANOS;
        solver.update(follower);
        sink.status(status(now));
    }

    ViewerStatus status(long now) {
        RenderedFrame shown = paints.lastPainted();
        var header = shown != null ? shown.header() : null;
        String problem = follower.problem();
        if (fieldProblem != null) {
            problem = problem == null ? fieldProblem : problem + "; " + fieldProblem;
        }
        double stepsPerSecond = solver.state() == SolverState.RUNNING ? solverSteps.perSecond() : 0;
        FrameReader reader = follower.reader();
        long newest = reader != null ? reader.generation() : lastSeen;
        return new ViewerStatus(follower.path(), problem, fieldName, header != null ? header.generation() : 0, newest,
                header != null ? header.step() : 0, header != null ? header.time() : 0, stepsPerSecond,
                paints.framesPerSecond(now), paints.lastAgeMillis(), skipped, checksum, solver.state(), solver.pid(), solver.commands(),
                warning);
    }

    /** Generations published but not shown because newer ones overtook them, in this run. */
    long skipped() {
        return skipped;
    }

    long attachments() {
        return follower.attachments();
    }

    private void pause(long nanos) throws InterruptedException {
        LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
    }

    /** Stops the loop and waits for it; the segment is unmapped when this returns. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
        if (t == null) {
            follower.close();
        }
    }
}
