package dev.heatgrid.segment;

import java.nio.file.Path;
import java.util.List;

/**
 * Child JVM: a writer that overtakes every reader of a large frame. Every buffer holds the same data,
 * so it can republish it as fast as the protocol allows (a microsecond or so per generation): a reader
 * that needs longer than that for one pass over the frame never finishes a consistent read, though
 * nothing is damaged. Prints READY, runs until killed. Args: path nx ny.
 */
public final class RepublisherMain {
    public static void main(String[] args) throws Exception {
        SegmentSpec spec = SegmentSpec.of(Integer.parseInt(args[1]), Integer.parseInt(args[2]), "T");
        try (SegmentWriter writer = SegmentWriter.create(Path.of(args[0]), spec)) {
            List<FieldStats> stats = List.of();
            for (int b = 0; b < spec.buffers(); b++) {
                var back = writer.beginFrame();
                back.fields().get(0).fill((byte) 1);
                stats = List.of(FrameStatistics.of(back.fields().get(0), writer.layout().cells(), 1, 1));
                writer.publish(b, b, stats, "");
            }
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            for (long step = spec.buffers(); ; step++) {
                writer.beginFrame();
                writer.publish(step, step, stats, "");
            }
        }
    }
}
