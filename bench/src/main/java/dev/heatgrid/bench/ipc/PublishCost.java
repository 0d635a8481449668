package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.SegmentWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What one publish costs the writer by itself (one-cell frame, nobody reading): lock, header, the
 * two release stores, and the FUTEX_WAKE system call the protocol requires after every publish. A
 * spin-waiting reader still sees a new generation only after the other side's publish, so this
 * bounds the ping-pong's one-way latency from below.
 */
final class PublishCost {
    private static final int BATCH = 1000;

    private PublishCost() {
    }

    /** Median over {@code batches} batches of the mean microseconds per publish. */
    static double medianMicros(Path dir, int batches) throws IOException {
        Path path = dir.resolve("publish-cost.hgrid");
        try (SegmentWriter writer = TinySegment.create(path)) {
            double[] micros = new double[batches];
            for (int b = -batches; b < batches; b++) { // the first half warms up
                long start = System.nanoTime();
                for (int i = 0; i < BATCH; i++) {
                    TinySegment.publishNext(writer);
                }
                if (b >= 0) {
                    micros[b] = (System.nanoTime() - start) / 1e3 / BATCH;
                }
            }
            return Medians.of(micros);
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
