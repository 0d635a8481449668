package dev.heatgrid.bench.ipc;

import java.util.Arrays;

/** One-way notification latencies (round trip / 2) of one wait mode, in nanoseconds. */
record LatencyResult(WaitMode mode, long[] oneWayNanos) {
    LatencyResult {
        oneWayNanos = oneWayNanos.clone();
        Arrays.sort(oneWayNanos);
    }

    int samples() {
        return oneWayNanos.length;
    }

    double medianMicros() {
        return percentileMicros(50);
    }

    double p99Micros() {
        return percentileMicros(99);
    }

    /** Nearest-rank percentile. */
    double percentileMicros(double percent) {
        int rank = (int) Math.ceil(percent / 100 * oneWayNanos.length);
        return oneWayNanos[Math.clamp(rank - 1, 0, oneWayNanos.length - 1)] / 1e3;
    }
}
