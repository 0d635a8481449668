package dev.heatgrid.segment;

import java.nio.file.Path;

/**
 * Child JVM: creates a segment and publishes a fixed number of pattern frames as fast as the gate lets
 * it. Args: path nx ny buffers frames. Prints READY pid before the first frame (after a line on stdin,
 * so a consumer can join first) and DONE frames=F nanos=N longestWait=W at the end: W is the longest
 * time one beginFrame took (the gate's wait for a consumer), measured here, not by the gate.
 */
public final class CountedWriterMain {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        long frames = Long.parseLong(args[4]);
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(Integer.parseInt(args[1]),
                Integer.parseInt(args[2]), "T").withBuffers(Integer.parseInt(args[3])))) {
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            if (System.in.read() < 0) {
                return;
            }
            long cells = writer.layout().cells();
            long start = System.nanoTime();
            long longestWait = 0;
            for (long n = 0; n < frames; n++) {
                long before = System.nanoTime();
                SegmentWriter.BackFrame back = writer.beginFrame();
                longestWait = Math.max(longestWait, System.nanoTime() - before);
                GenerationPattern.fill(back.fields().get(0), cells, back.generation());
                writer.publish(back.generation(), back.generation() * 0.5, "pattern=generation\n");
            }
            System.out.println("DONE frames=" + frames + " nanos=" + (System.nanoTime() - start)
                    + " longestWait=" + longestWait);
            System.out.flush();
        }
    }
}
