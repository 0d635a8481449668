package dev.heatgrid.viewer;

/**
 * Whether a sampler should copy a frame before reducing it instead of reducing it in place. A
 * writer that overtook one frame's in-place pass will most likely overtake the next one too (it
 * publishes faster than a pass takes), and each lost pass costs a whole pass. So after a frame whose
 * in-place pass was overtaken, frames are copied first (a bare copy is the shortest read there is);
 * one in {@value #PROBE_EVERY} tries in place again, to notice a writer that slowed down.
 */
final class CopyFirstRule {
    /** While copying first, one frame in this many tries in place again. */
    static final int PROBE_EVERY = 32;

    private boolean copyFirst;
    private int sinceProbe;
    private boolean probing;

    /** Whether the next frame should be copied first (call once per frame, before reading it). */
    boolean copyNext() {
        probing = copyFirst && ++sinceProbe >= PROBE_EVERY;
        return copyFirst && !probing;
    }

    /** What the frame's read showed: whether the writer overtook an in-place pass of it. */
    void read(boolean overtakenInPlace) {
        if (probing || !copyFirst) {
            copyFirst = overtakenInPlace;
            sinceProbe = 0;
            probing = false;
        }
    }
}
