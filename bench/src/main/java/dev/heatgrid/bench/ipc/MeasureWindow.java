package dev.heatgrid.bench.ipc;

import java.time.Duration;

/**
 * How long a delivery run warms up (JIT, page faults, socket windows) and then counts. The warm-up
 * also lasts at least {@link #WARM_UP_FRAMES} frames: a reader whose copy loop is not compiled yet
 * loses every race against a warm writer of small frames, and a short smoke window would otherwise
 * end before its first consistent copy.
 */
record MeasureWindow(Duration warmUp, Duration measure) {
    static final int WARM_UP_FRAMES = 20;

    /** Whether a warm-up that began at {@code started} and received {@code frames} frames is over. */
    boolean warmUpOver(long started, long frames) {
        return frames >= WARM_UP_FRAMES && System.nanoTime() - started >= warmUp.toNanos();
    }

    long measureNanos() {
        return measure.toNanos();
    }
}
