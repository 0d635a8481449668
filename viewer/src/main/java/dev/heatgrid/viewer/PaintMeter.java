package dev.heatgrid.viewer;

/**
 * Counts frames that actually reached the screen (or a file) and how old each was when it got
 * there: publish time in the writer to paint time here, both on the host's monotonic clock.
 * Written by whoever paints (the EDT), read by the loop for the status line.
 */
final class PaintMeter {
    private final RateMeter shown = new RateMeter();
    private RenderedFrame lastPainted;
    private long painted;
    private volatile double lastAgeMillis = Double.NaN;

    /** Records a paint; repaints of the same frame (a resize, an expose) do not count. */
    synchronized void painted(RenderedFrame frame, long nowNanos) {
        if (frame == lastPainted) {
            return;
        }
        lastPainted = frame;
        painted++;
        shown.record(nowNanos, painted);
        lastAgeMillis = (nowNanos - frame.header().publishNanos()) / 1e6;
    }

    synchronized RenderedFrame lastPainted() {
        return lastPainted;
    }

    /** Frames painted since the start. */
    synchronized long painted() {
        return painted;
    }

    double framesPerSecond(long nowNanos) {
        return shown.perSecond(nowNanos);
    }

    double lastAgeMillis() {
        return lastAgeMillis;
    }
}
