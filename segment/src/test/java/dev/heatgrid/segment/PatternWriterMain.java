package dev.heatgrid.segment;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Child JVM: creates a segment and publishes pattern frames flat out. Args: path nx ny buffers seconds. */
public final class PatternWriterMain {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        SegmentSpec spec = SegmentSpec.of(Integer.parseInt(args[1]), Integer.parseInt(args[2]), "T")
                .withBuffers(Integer.parseInt(args[3])).withKeep(args.length > 5 && args[5].equals("keep"));
        try (SegmentWriter writer = SegmentWriter.create(path, spec)) {
            SegmentWriter.BackFrame first = writer.beginFrame();
            GenerationPattern.fill(first.fields().get(0), writer.layout().cells(), first.generation());
            writer.publish(1, 0.5, "pattern=generation\n");
            System.out.println("READY " + ProcessHandle.current().pid());
            System.out.flush();
            long frames = GenerationPattern.publishFlatOut(writer, TimeUnit.SECONDS.toNanos(Long.parseLong(args[4])));
            System.out.println("DONE frames=" + frames);
        }
    }
}
