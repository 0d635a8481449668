package dev.heatgrid.segment;

import java.nio.file.Path;

/**
 * Child JVM: creates a segment, publishes generation 1, prints READY, then publishes one more frame
 * every {@code intervalMillis}, {@code count} times, and exits. Args: path intervalMillis count.
 */
public final class DelayedPublisherMain {
    public static void main(String[] args) throws Exception {
        long interval = Long.parseLong(args[1]);
        int count = Integer.parseInt(args[2]);
        try (SegmentWriter writer = SegmentWriter.create(Path.of(args[0]), SegmentSpec.of(16, 16, "T").withKeep(true))) {
            writer.beginFrame();
            writer.publish(0, 0, "");
            System.out.println("READY");
            System.out.flush();
            for (int i = 1; i <= count; i++) {
                Thread.sleep(interval);
                writer.beginFrame();
                writer.publish(i, i, "");
            }
            Thread.sleep(200);
        }
    }
}
