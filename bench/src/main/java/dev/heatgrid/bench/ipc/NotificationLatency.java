package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Issue 8, item 2: publish -> a reader in another process observes it, ping-pong style. This process
 * publishes generation k on PING; a {@link PingPongEchoMain} child waits for it and publishes k on
 * PONG; this process waits for that. One way = round trip / 2. Both sides wait with the same mode.
 */
final class NotificationLatency {
    private static final long TIMEOUT_SECONDS = 30; // a loaded 2-CPU machine can keep a freshly started child off the CPU for seconds

    private NotificationLatency() {
    }

    static LatencyResult run(WaitMode mode, int warmUp, int samples, Path dir) throws IOException, InterruptedException {
        Path ping = dir.resolve("ping-" + mode.label + ".hgrid");
        Path pong = dir.resolve("pong-" + mode.label + ".hgrid");
        try (SegmentWriter question = TinySegment.create(ping);
             ChildJvm echo = ChildJvm.start(PingPongEchoMain.class, ping.toString(), pong.toString(), mode.name())) {
            echo.awaitLine("READY");
            try (FrameReader answer = FrameReader.open(pong)) {
                mode.configure(answer);
                for (int i = 0; i < warmUp; i++) {
                    roundTrip(question, answer);
                }
                long[] oneWay = new long[samples];
                for (int i = 0; i < samples; i++) {
                    oneWay[i] = roundTrip(question, answer) / 2;
                }
                return new LatencyResult(mode, oneWay);
            }
        } finally {
            Files.deleteIfExists(pong);
            Files.deleteIfExists(ping);
        }
    }

    private static long roundTrip(SegmentWriter question, FrameReader answer) throws IOException, InterruptedException {
        long start = System.nanoTime();
        TinySegment.publishNext(question);
        long expected = question.generation();
        while (answer.generation() < expected) {
            if (answer.awaitNewer(expected - 1, TIMEOUT_SECONDS, TimeUnit.SECONDS) == 0) {
                throw new IOException("no answer to generation " + expected + " within " + TIMEOUT_SECONDS + " s");
            }
        }
        return System.nanoTime() - start;
    }
}
