package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Receives frames through a segment from a {@link SegmentPublisherMain} child: each
 * {@link FrameReader#latest} copies the newest frame into a private {@link Frame}, validates it and
 * verifies the checksum of what it copied. Counts distinct generations only; when no newer frame is
 * published yet it waits with the reader's normal wait (spin, then futex).
 */
final class SegmentDelivery {
    /** Three buffers: a reader has two frame times to finish its copy before the writer comes back to it. */
    static final int BUFFERS = 3;
    private static final long WAIT_MILLIS = 100;
    /**
     * Until its copy loop is compiled, this reader copies far slower than the (already warm) writer
     * publishes and loses every race; the default limit of 2 s would end the run before the JIT helps.
     */
    private static final long COLD_READER_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private SegmentDelivery() {
    }

    static DeliveryResult run(FrameShape shape, SenderWork work, MeasureWindow window, Path dir) throws IOException, InterruptedException {
        Path path = dir.resolve("delivery.hgrid");
        try (ChildJvm publisher = ChildJvm.start(SegmentPublisherMain.class, path.toString(),
                Integer.toString(shape.n()), Integer.toString(BUFFERS), work.name())) {
            publisher.awaitLine("READY");
            try (FrameReader reader = FrameReader.open(path)) {
                reader.setMaxReadNanos(COLD_READER_PATIENCE_NANOS);
                Frame frame = Frame.shapedFor(reader.layout());
                long last = 0;
                long warmUpStart = System.nanoTime();
                for (long warmUpFrames = 0; !window.warmUpOver(warmUpStart, warmUpFrames); warmUpFrames++) {
                    last = receiveNewer(reader, frame, last);
                }
                long start = System.nanoTime();
                long end = start + window.measureNanos();
                long frames = 0;
                long now;
                do {
                    last = receiveNewer(reader, frame, last);
                    frames++;
                    now = System.nanoTime();
                } while (now < end);
                return new DeliveryResult(Transport.SEGMENT, work, shape, frames, now - start);
            }
        } finally {
            Files.deleteIfExists(path);
        }
    }

    /** Waits for a generation newer than {@code last} and copies the newest frame; returns its generation. */
    private static long receiveNewer(FrameReader reader, Frame frame, long last) throws IOException, InterruptedException {
        while (true) {
            if (reader.generation() <= last) {
                reader.awaitNewer(last, WAIT_MILLIS, TimeUnit.MILLISECONDS);
                continue;
            }
            long generation = reader.latest(frame);
            if (generation > last) {
                return generation;
            }
        }
    }
}
