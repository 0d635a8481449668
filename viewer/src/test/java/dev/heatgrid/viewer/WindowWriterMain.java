package dev.heatgrid.viewer;

import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Map;

/**
 * The live writer behind the window tests, in a JVM of its own: field {@code T} holds a hot spot
 * circling the grid ({@link HotSpot}), field {@code phi} rises from 0 at the west edge to 1 at the east
 * edge. Args: path nx ny frames interval-ms [keep]. Prints {@code READY pid} after the first frame and
 * {@code DONE} after the last; frames 0 publishes until killed.
 */
public final class WindowWriterMain {
    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int nx = Integer.parseInt(args[1]);
        int ny = Integer.parseInt(args[2]);
        long frames = Long.parseLong(args[3]);
        long intervalMillis = Long.parseLong(args[4]);
        boolean keep = args.length > 5 && args[5].equals("keep");
        SegmentSpec spec = SegmentSpec.of(nx, ny, "T", "phi").withSpacing(0.01, 0.01, 1e-3)
                .withKernel("window-test", "dirichlet:20", Map.of()).withKeep(keep).withBuffers(3);
        try (SegmentWriter writer = SegmentWriter.create(path, spec)) {
            for (long k = 0; frames == 0 || k < frames; k++) {
                var fields = writer.beginFrame().fields();
                int[] c = HotSpot.centreAt(k, nx, ny);
                HotSpot.fill(fields.get(0), nx, ny, c[0], c[1], Math.max(2, nx / 12.0));
                fillGradient(fields.get(1), nx, ny);
                writer.publish(k * 10, k * 10 * 1e-3, "");
                if (k == 0) {
                    System.out.println("READY " + ProcessHandle.current().pid());
                    System.out.flush();
                }
                if (intervalMillis > 0) {
                    Thread.sleep(intervalMillis);
                }
            }
            System.out.println("DONE");
            System.out.flush();
        }
    }

    private static void fillGradient(MemorySegment field, int nx, int ny) {
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                field.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) y * nx + x, x / (double) (nx - 1));
            }
        }
    }
}
