package dev.heatgrid.viewer;

import dev.heatgrid.segment.SegmentLayout;
import java.awt.Dimension;

/**
 * Where the {@link ViewerLoop} delivers frames and status: a window, a PNG file, a time-lapse
 * folder, or a test. Called on the loop's thread; a Swing sink hands work to the EDT itself.
 */
interface FrameSink {
    /** A segment was attached (the first, or a new run that replaced the old file): forget its history. */
    default void runStarted(SegmentLayout layout, String field) {
    }

    /** The largest image worth rendering, in pixels: the plot's data area. */
    Dimension targetSize();

    /** Whether generation {@code generation} is worth rendering now (a time-lapse takes only some). */
    default boolean wants(long generation, long nowNanos) {
        return true;
    }

    /**
     * Waits until the sink can take a frame (a window: until the previous one has been painted, so
     * no frame is rendered only to be replaced unseen). False on timeout.
     */
    default boolean awaitReady(long timeoutNanos) throws InterruptedException {
        return true;
    }

    /** Shows a frame; the sink owns its image from now on. */
    void show(RenderedFrame frame);

    /** The latest status, a few times a second and at once after every event. */
    void status(ViewerStatus status);
}
