package dev.heatgrid.viewer;

/**
 * A colour range that follows the data without flickering. It grows at once (a value must never
 * saturate unnoticed), with headroom so steadily rising data does not rescale every frame, and
 * shrinks only after the data has used less than half of it for {@link #SHRINK_AFTER_FRAMES}
 * frames in a row, so noise around a level never makes the colours pump.
 */
public final class AutoRange {
    /** Extra room added on the side that grew, as a fraction of the new span. */
    static final double GROW_HEADROOM = 0.05;
    /** The range shrinks when the data spans less than this fraction of it ... */
    static final double SHRINK_BELOW = 0.5;
    /** ... for this many consecutive frames (one second at 30 frames/s). */
    static final int SHRINK_AFTER_FRAMES = 30;

    private ValueRange current;
    private int narrowFrames;

    /** The range to use for a frame whose data lies in {@code [low, high]}; non-finite bounds keep the current range. */
    public ValueRange update(double low, double high) {
        if (!Double.isFinite(low) || !Double.isFinite(high) || low > high) {
            return current != null ? current : new ValueRange(0, 1);
        }
        if (current == null) {
            current = ValueRange.covering(low, high);
            narrowFrames = 0;
            return current;
        }
        if (!current.contains(low, high)) {
            double min = Math.min(low, current.min());
            double max = Math.max(high, current.max());
            double headroom = GROW_HEADROOM * (max - min);
            current = new ValueRange(low < current.min() ? min - headroom : min,
                    high > current.max() ? max + headroom : max);
            narrowFrames = 0;
        } else if (high - low < SHRINK_BELOW * current.span()) {
            if (++narrowFrames >= SHRINK_AFTER_FRAMES) {
                current = ValueRange.covering(low, high);
                narrowFrames = 0;
            }
        } else {
            narrowFrames = 0;
        }
        return current;
    }

    /** Forgets the data seen so far (a new run, or another field). */
    public void reset() {
        current = null;
        narrowFrames = 0;
    }
}
