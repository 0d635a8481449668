package dev.heatgrid.segment;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM: publishes pattern frames flat out. Args: path nx ny buffers seconds [create|keep|resume].
 * "create" (default) and "keep" make a new segment and publish generation 1, then print READY;
 * "resume" continues an existing one, printing RESUMED after its first publish.
 */
public final class PatternWriterMain {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        String mode = args.length > 5 ? args[5] : "create";
        long seconds = Long.parseLong(args[4]);
        SegmentWriter writer = mode.equals("resume") ? SegmentWriter.resume(path)
                : SegmentWriter.create(path, SegmentSpec.of(Integer.parseInt(args[1]), Integer.parseInt(args[2]), "T")
                        .withBuffers(Integer.parseInt(args[3])).withKeep(mode.equals("keep")));
        try (writer) {
            long from = writer.generation();
            SegmentWriter.BackFrame first = writer.beginFrame();
            GenerationPattern.fill(first.fields().get(0), writer.layout().cells(), first.generation());
            writer.publish(first.generation(), first.generation() * 0.5, "pattern=generation\n");
            System.out.println(mode.equals("resume")
                    ? "RESUMED from=" + from + " first=" + first.generation() + " recoveries=" + writer.lockRecoveries()
                    : "READY " + ProcessHandle.current().pid());
            System.out.flush();
            long frames = GenerationPattern.publishFlatOut(writer, TimeUnit.SECONDS.toNanos(seconds));
            System.out.println("DONE frames=" + frames + " recoveries=" + writer.lockRecoveries());
        }
    }
}
