package dev.heatgrid.record;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.GateStatus;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** A recording of {@link Pattern} frames that a writer in this JVM publishes: how the tests make one. */
final class PatternRecording {
    private PatternRecording() {
    }

    /**
     * Starts the recorder, waits until it has joined the gate (or attached), publishes {@code frames}
     * pattern frames (generation g at time g / 4), then closes the writer: the recording ends with its last frame.
     */
    static Recorder.Result record(Path segment, SegmentSpec spec, Recorder.Settings settings, Recorder.SinkFactory sinks,
                                  int frames, Recorder.Events events) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        SegmentWriter writer = SegmentWriter.create(segment, spec);
        boolean closed = false;
        try {
            Recorder recorder = new Recorder(segment, settings, sinks, events);
            Future<Recorder.Result> result = pool.submit(() -> recorder.run(() -> false));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            try (FrameReader probe = FrameReader.open(segment)) {
                while (recorder.description() == null
                        || (settings.everyFrame() && GateStatus.of(probe).members().isEmpty())) {
                    assertTrue(System.nanoTime() < deadline, "the recorder never attached");
                    Thread.sleep(5);
                }
            }
            for (int i = 0; i < frames; i++) {
                Pattern.publish(writer);
            }
            writer.close();
            closed = true;
            return result.get(60, TimeUnit.SECONDS);
        } finally {
            if (!closed) {
                writer.close();
            }
            pool.shutdownNow();
        }
    }
}
