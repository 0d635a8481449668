package dev.heatgrid.bench.ipc;

import java.time.Duration;

/**
 * How long a delivery run warms up (JIT, page faults, socket windows) and then counts. The warm-up
 * also lasts at least {@link #WARM_UP_FRAMES} frames: a reader whose copy loop is not compiled yet
 * loses every race against a warm writer of small frames, and a short smoke window would otherwise
 * end before its first consistent copy. But never more than {@link #MAX_WARM_UP_FACTOR} times its
 * duration: a reader that a producing writer of 32 MiB frames overtakes (it copies more slowly than
 * the writer reuses buffers, FORMAT.md §4.2) receives one frame every second or two however warm it
 * is, and 20 of them took the smoke run's row 12-50 s.
 */
record MeasureWindow(Duration warmUp, Duration measure) {
    static final int WARM_UP_FRAMES = 20;
    static final int MAX_WARM_UP_FACTOR = 10;

    /** Whether a warm-up that began at {@code started} and received {@code frames} frames is over. */
    boolean warmUpOver(long started, long frames) {
        return warmUpOver(started, frames, System.nanoTime());
    }

    /** {@link #warmUpOver(long, long)} at time {@code now}. */
    boolean warmUpOver(long started, long frames, long now) {
        long elapsed = now - started;
        return elapsed >= warmUp.toNanos() && (frames >= WARM_UP_FRAMES || elapsed >= MAX_WARM_UP_FACTOR * warmUp.toNanos());
    }

    long measureNanos() {
        return measure.toNanos();
    }
}
