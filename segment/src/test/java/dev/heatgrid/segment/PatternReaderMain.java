package dev.heatgrid.segment;

import java.nio.file.Path;

/** Child JVM: reads pattern frames from a segment and prints a RESULT line. Args: path reads. */
public final class PatternReaderMain {
    public static void main(String[] args) throws Exception {
        try (FrameReader reader = FrameReader.open(Path.of(args[0]))) {
            System.out.println("ATTACHED");
            System.out.flush();
            System.out.println(GenerationPattern.readAndCheck(reader, Long.parseLong(args[1])).line());
        }
    }
}
