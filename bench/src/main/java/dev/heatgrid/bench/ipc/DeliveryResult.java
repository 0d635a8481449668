package dev.heatgrid.bench.ipc;

/**
 * One delivery run: frames that arrived, complete and private to the receiver, during the counted
 * window. For the segment, only distinct generations count (a frame skipped because a newer one was
 * already published does not).
 */
record DeliveryResult(Transport transport, SenderWork work, FrameShape shape, long frames, long nanos) {
    double framesPerSecond() {
        return frames * 1e9 / nanos;
    }

    /** Decimal gigabytes per second, 10^9 bytes. */
    double gigabytesPerSecond() {
        return framesPerSecond() * shape.bytes() / 1e9;
    }
}
