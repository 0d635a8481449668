package dev.heatgrid.segment;

import java.nio.file.Path;

/** Child JVM: tries to become the writer of an existing segment; prints WRITER or BUSY and the reason. */
public final class TryWriterMain {
    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        try (SegmentWriter writer = SegmentWriter.resume(Path.of(args[0]))) {
            System.out.println("WRITER generation=" + writer.generation() + " recoveries=" + writer.lockRecoveries());
        } catch (SegmentBusyException e) {
            System.out.println("BUSY ownerPid=" + e.ownerPid() + " millis=" + (System.nanoTime() - start) / 1_000_000
                    + " message=" + e.getMessage());
        }
    }
}
