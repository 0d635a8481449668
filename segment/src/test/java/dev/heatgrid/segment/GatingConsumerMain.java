package dev.heatgrid.segment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM: a gating consumer that reads every generation of a pattern writer and checks it.
 * Args: path stallMillis busyMicrosPerFrame. Prints JOINED first=G, then AT g every 100 frames,
 * DROPPED reason if the writer drops it, and RESULT read=R lost=L torn=T last=G nanos=N when the
 * writer has exited and everything it published was read.
 */
public final class GatingConsumerMain {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        Duration stall = Duration.ofMillis(Long.parseLong(args[1]));
        long busyNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[2]));
        try (FrameReader reader = FrameReader.open(path)) {
            Frame frame = Frame.shapedFor(reader.layout());
            GatingConsumer gate = GatingConsumer.join(reader, stall);
            System.out.println("JOINED first=" + gate.first() + " slot=" + gate.slot());
            System.out.flush();
            long read = 0;
            long lost = 0;
            long torn = 0;
            long g = gate.first();
            long start = System.nanoTime();
            boolean reportedDrop = false;
            while (true) {
                if (reader.generation() < g) {
                    if (reader.awaitNewer(g - 1, 100, TimeUnit.MILLISECONDS) == 0) {
                        if (reader.writer().state() == WriterState.EXITED && reader.generation() < g) {
                            break;
                        }
                        continue;
                    }
                }
                if (reader.copyGeneration(g, frame)) {
                    read++;
                    if (GenerationPattern.wholeGeneration(frame.field(0)) != g) {
                        torn++;
                    }
                    long until = System.nanoTime() + busyNanos;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait(); // a recorder busy with its disk
                    }
                } else {
                    lost++;
                }
                gate.finished(g);
                if (!reportedDrop && gate.dropped()) {
                    reportedDrop = true;
                    System.out.println("DROPPED " + gate.dropReason());
                    System.out.flush();
                }
                if (g % 100 == 0) {
                    System.out.println("AT " + g);
                    System.out.flush();
                }
                g++;
            }
            System.out.println("RESULT read=" + read + " lost=" + lost + " torn=" + torn + " last=" + (g - 1)
                    + " nanos=" + (System.nanoTime() - start));
            gate.close();
        }
    }
}
