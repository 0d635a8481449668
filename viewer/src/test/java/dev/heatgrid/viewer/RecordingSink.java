package dev.heatgrid.viewer;

import dev.heatgrid.segment.SegmentLayout;
import java.awt.Dimension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** A sink that keeps what the loop told it, and lets a test wait for a frame or a status. */
final class RecordingSink implements FrameSink {
    final PaintMeter paints = new PaintMeter();
    private final List<RenderedFrame> frames = new ArrayList<>();
    private final List<String> runs = new ArrayList<>();
    private ViewerStatus status;
    private long statuses;

    @Override
    public synchronized void runStarted(SegmentLayout layout, String field) {
        runs.add(layout.spec().params().getOrDefault("run", "?"));
        notifyAll();
    }

    @Override
    public Dimension targetSize() {
        return new Dimension(400, 300);
    }

    @Override
    public synchronized void show(RenderedFrame frame) {
        paints.painted(frame, System.nanoTime());
        frames.add(frame);
        notifyAll();
    }

    @Override
    public synchronized void status(ViewerStatus newStatus) {
        status = newStatus;
        statuses++;
        notifyAll();
    }

    /**
     * Waits for the loop's next status, so that a test acts right after one: the loop then takes no
     * look at the file for its status (the solver watch) for the status interval.
     */
    synchronized void awaitNextStatus(Duration timeout) throws InterruptedException {
        long seen = statuses;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (statuses == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no status within " + timeout);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized List<RenderedFrame> frames() {
        return List.copyOf(frames);
    }

    synchronized RenderedFrame last() {
        return frames.isEmpty() ? null : frames.getLast();
    }

    synchronized List<String> runs() {
        return List.copyOf(runs);
    }

    synchronized ViewerStatus status() {
        return status;
    }

    synchronized RenderedFrame awaitFrame(Predicate<RenderedFrame> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (RenderedFrame f : frames) {
                if (wanted.test(f)) {
                    return f;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no such frame within " + timeout + "; frames: " + frames.size()
                        + ", last status: " + (status == null ? null : status.line() + " / " + status.alert()));
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized ViewerStatus awaitStatus(Predicate<ViewerStatus> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (status == null || !wanted.test(status)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("status not reached within " + timeout + "; last: "
                        + (status == null ? null : status.line() + " / " + status.alert()));
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return status;
    }
}
