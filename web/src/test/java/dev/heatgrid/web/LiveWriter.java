package dev.heatgrid.web;

import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A writer on a thread of the test JVM: frame k of field {@code T} holds {@link #value}(x, y, k) (or
 * noise, which does not compress: large messages), field {@code phi} holds x. Publishes every
 * {@code intervalMillis} until closed (or a given number of frames), tagging frames with {@code run=ID}.
 */
final class LiveWriter implements AutoCloseable {
    private final SegmentWriter writer;
    private final Thread thread;
    private final AtomicLong published = new AtomicLong();
    private volatile boolean stopped;

    private LiveWriter(SegmentWriter writer, int nx, int ny, long intervalMillis, boolean noise, String run,
                       long frames) {
        this.writer = writer;
        this.thread = Thread.ofPlatform().daemon().name("test-writer").start(() -> {
            var random = new SplittableRandom(42);
            try {
                for (long k = 1; !stopped && k <= frames; k++) {
                    var fields = writer.beginFrame().fields();
                    fill(fields.get(0), nx, ny, k, noise ? random : null);
                    MemorySegment phi = fields.get(1);
                    for (int i = 0; i < nx * ny; i++) {
                        phi.setAtIndex(ValueLayout.JAVA_DOUBLE, i, i % nx);
                    }
                    writer.publish(k, k * 0.5, "run=" + run + "\n");
                    published.set(k);
                    if (intervalMillis > 0) {
                        TimeUnit.MILLISECONDS.sleep(intervalMillis);
                    }
                }
                while (!stopped) {
                    TimeUnit.MILLISECONDS.sleep(10); // the last frame stays newest until we close
                }
            } catch (InterruptedException e) {
                // closing
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static LiveWriter start(Path segment, int nx, int ny, long intervalMillis, boolean noise, String run)
            throws java.io.IOException {
        return start(segment, nx, ny, intervalMillis, noise, run, Long.MAX_VALUE);
    }

    /** Publishes {@code frames} frames, then stays attached without publishing until closed. */
    static LiveWriter start(Path segment, int nx, int ny, long intervalMillis, boolean noise, String run, long frames)
            throws java.io.IOException {
        SegmentSpec spec = SegmentSpec.of(nx, ny, "T", "phi").withSpacing(0.5, 0.25, 1e-3)
                .withKernel("test", "dirichlet:0", java.util.Map.of("run", run)).withBuffers(3);
        return new LiveWriter(SegmentWriter.create(segment, spec), nx, ny, intervalMillis, noise, run, frames);
    }

    /** Cell (x, y) of frame k: distinct per cell and per frame. */
    static double value(int x, int y, long k) {
        return 1000.0 * k + 10.0 * y + 0.01 * x;
    }

    private static void fill(MemorySegment field, int nx, int ny, long k, SplittableRandom noise) {
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                field.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) y * nx + x,
                        noise != null ? noise.nextDouble() : value(x, y, k));
            }
        }
    }

    long published() {
        return published.get();
    }

    SegmentWriter segmentWriter() {
        return writer;
    }

    @Override
    public void close() throws Exception {
        stopped = true;
        thread.interrupt();
        thread.join();
        writer.close();
    }
}
