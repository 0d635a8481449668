package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Waiting for a newer generation across processes: woken by a publish, or back empty at the timeout. */
class AwaitTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void blockedReaderWakesOnPublishFromAnotherProcessAndTimesOutWithoutOne() throws Exception {
        Path segment = dir.resolve("await.hgrid");
        int frames = 40;
        try (JvmProcess writer = JvmProcess.start(DelayedPublisherMain.class, segment.toString(), "20",
                Integer.toString(frames));
             FrameReader reader = openWhenReady(writer, segment)) {
            reader.setSpinNanos(0); // block in the kernel at once: this measures the futex path
            // The reader may open after the writer's first publishes (a loaded machine), so it waits
            // for the writer's last generation (1 + frames), not for a count of frames from where it began.
            long last = 1 + frames;
            long seen = reader.generation();
            long[] latencies = new long[frames];
            int measured = 0;
            while (seen < last) {
                long generation = reader.awaitNewer(seen, 5, TimeUnit.SECONDS);
                long now = System.nanoTime();
                assertTrue(generation > seen, "no publish within 5 s after generation " + seen);
                long stamp = reader.tryOptimisticRead();
                FrameHeader header = reader.header(stamp);
                if (reader.validate(stamp) && stamp == generation) {
                    latencies[measured++] = now - header.publishNanos();
                }
                seen = generation;
            }
            assertTrue(measured > 0, "no wake-up was followed by a valid read of the generation it woke for");
            Arrays.sort(latencies, 0, measured);
            System.out.printf("publish -> wake (%s): median %.1f us, max %.1f us over %d publishes%n",
                    FrameReader.blockingWaitAvailable() ? "futex" : "polling", latencies[measured / 2] / 1e3,
                    latencies[measured - 1] / 1e3, measured);

            assertEquals(0, writer.waitFor(Duration.ofSeconds(30)), writer.stderr());
            long before = System.nanoTime();
            assertEquals(0, reader.awaitNewer(seen, 200, TimeUnit.MILLISECONDS), "a generation appeared from nowhere");
            long waited = System.nanoTime() - before;
            assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(200), "returned after " + waited + " ns");
            assertTrue(waited < TimeUnit.SECONDS.toNanos(5), "timeout overran: " + waited + " ns");
        }
    }

    @Test
    void awaitReturnsAtOnceWhenANewerGenerationIsAlreadyThere() throws Exception {
        Path segment = dir.resolve("ready.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(4, 4, "T"));
             FrameReader reader = FrameReader.open(segment)) {
            assertEquals(0, reader.awaitNewer(0, 1, TimeUnit.MILLISECONDS));
            writer.beginFrame();
            writer.publish(0, 0, "");
            assertEquals(1, reader.awaitNewer(0, 1, TimeUnit.DAYS));
        }
    }

    private static FrameReader openWhenReady(JvmProcess writer, Path segment) throws Exception {
        writer.awaitLine("READY", Duration.ofSeconds(30));
        return FrameReader.open(segment);
    }
}
