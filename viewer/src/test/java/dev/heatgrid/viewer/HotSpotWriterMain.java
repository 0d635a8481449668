package dev.heatgrid.viewer;

import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * Child JVM for multi-process tests and manual runs: creates a segment and publishes a hot spot
 * circling the grid, tagging every frame with {@code run=ID}.
 * With {@code phi}, a second field rises from 0 at the west edge to 1 at the east edge.
 * Args: path nx ny run-id frames interval-ms [keep] [phi]. Prints {@code READY pid} after the first
 * frame and {@code DONE} after the last; frames 0 publishes until killed.
 */
public final class HotSpotWriterMain {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int nx = Integer.parseInt(args[1]);
        int ny = Integer.parseInt(args[2]);
        String run = args[3];
        long frames = Long.parseLong(args[4]);
        long intervalMillis = Long.parseLong(args[5]);
        var flags = java.util.List.of(args).subList(6, args.length);
        boolean keep = flags.contains("keep");
        boolean phi = flags.contains("phi");
        SegmentSpec spec = SegmentSpec.of(nx, ny, phi ? new String[] {"T", "phi"} : new String[] {"T"})
                .withSpacing(0.01, 0.01, 1e-3)
                .withKernel("hotspot", "dirichlet:20", Map.of("run", run)).withKeep(keep).withBuffers(3);
        try (SegmentWriter writer = SegmentWriter.create(path, spec)) {
            for (long k = 0; frames == 0 || k < frames; k++) {
                int[] c = HotSpot.centreAt(k, nx, ny);
                var fields = writer.beginFrame().fields();
                HotSpot.fill(fields.get(0), nx, ny, c[0], c[1], Math.max(2, nx / 16.0));
                if (phi) {
                    HotSpot.fillGradient(fields.get(1), nx, ny);
                }
                writer.publish(k * 10, k * 10 * 1e-3, "run=" + run + "\n");
                if (k == 0) {
                    System.out.println("READY " + ProcessHandle.current().pid());
                    System.out.flush();
                }
                if (intervalMillis > 0) {
                    Thread.sleep(intervalMillis);
                }
            }
            System.out.println("DONE");
        }
    }
}
