package dev.heatgrid.bench.ipc;

import java.time.Duration;

/** How long a delivery run warms up (JIT, page faults, socket windows) and then counts. */
record MeasureWindow(Duration warmUp, Duration measure) {
    long warmUpNanos() {
        return warmUp.toNanos();
    }

    long measureNanos() {
        return measure.toNanos();
    }
}
