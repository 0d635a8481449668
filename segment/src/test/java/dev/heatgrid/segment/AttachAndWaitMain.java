package dev.heatgrid.segment;

import java.nio.file.Path;

/** Child JVM: attaches read-only to a segment, prints ATTACHED, and waits to be killed. Args: path. */
public final class AttachAndWaitMain {
    public static void main(String[] args) throws Exception {
        try (FrameReader reader = FrameReader.open(Path.of(args[0]))) {
            System.out.println("ATTACHED generation=" + reader.generation());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
