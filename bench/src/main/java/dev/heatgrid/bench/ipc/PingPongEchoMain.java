package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The far end of the ping-pong: waits for each new generation of the PING segment and answers by
 * publishing one generation of its own PONG segment. Prints {@code READY} once PONG exists; ends
 * when its stdin closes.
 *
 * <p>Args: {@code PING PONG spin|futex}.
 */
public final class PingPongEchoMain {
    private static final long WAIT_MILLIS = 100;

    private PingPongEchoMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path ping = Path.of(args[0]);
        Path pong = Path.of(args[1]);
        WaitMode mode = WaitMode.valueOf(args[2]);
        try (SegmentWriter answer = TinySegment.create(pong); FrameReader question = FrameReader.open(ping)) {
            mode.configure(question);
            // Before READY: the parent publishes its first question as soon as it reads READY, and a
            // generation read after that would already include it and wait for the next one forever.
            long seen = question.generation();
            System.out.println("READY");
            System.out.flush();
            Thread stopper = StdinWatch.start();
            while (stopper.isAlive()) {
                long generation = question.awaitNewer(seen, WAIT_MILLIS, TimeUnit.MILLISECONDS);
                if (generation > seen) {
                    seen = generation;
                    TinySegment.publishNext(answer);
                }
            }
        }
    }
}
