package dev.heatgrid.bench;

import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * A stand-in solver for viewer measurements (the viewer must not depend on the solver module):
 * explicit 5-point heat diffusion on an n x n grid with a heat source circling the centre, one
 * step per published frame, flat out, single-threaded, with the writer's own statistics pass.
 *
 * <p>Args: {@code SEGMENT N SECONDS}. Prints {@code READY} after the first frame and, at the end,
 * {@code RESULT steps=S seconds=T rate=R} (steps per second over the timed part).
 */
public final class DiffusionWriterMain {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE;

    public static void main(String[] args) throws Exception {
        Path path = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        double seconds = Double.parseDouble(args[2]);
        double h = 1.0 / n;
        double alpha = 1.0;
        double dt = 0.2 * h * h / alpha; // stable: below h^2 / (4 alpha)
        SegmentSpec spec = SegmentSpec.of(n, n, "T").withSpacing(h, h, dt).withBuffers(3)
                .withKernel("bench-diffusion", "dirichlet:0", Map.of("alpha", Double.toString(alpha)));
        try (SegmentWriter writer = SegmentWriter.create(path, spec)) {
            writer.beginFrame().fields().get(0).fill((byte) 0);
            writer.publish(0, 0, "alpha=" + alpha + "\n");
            System.out.println("READY");
            System.out.flush();
            double r = alpha * dt / (h * h);
            long steps = 0;
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            while (System.nanoTime() < end) {
                steps++;
                step(writer.publishedField(0), writer.beginFrame().fields().get(0), n, r, steps, dt * 50);
                writer.publish(steps, steps * dt, "alpha=" + alpha + "\n");
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "RESULT steps=%d seconds=%.3f rate=%.2f%n", steps, elapsed, steps / elapsed);
        }
    }

    /** One explicit step from {@code in} to {@code out}, plus a source circling the centre. */
    private static void step(MemorySegment in, MemorySegment out, int n, double r, long k, double heat) {
        double angle = k * 0.01;
        int sx = (int) (n / 2 + n / 4 * Math.cos(angle));
        int sy = (int) (n / 2 + n / 4 * Math.sin(angle));
        int radius = Math.max(2, n / 64);
        for (int y = 0; y < n; y++) {
            long row = (long) y * n;
            for (int x = 0; x < n; x++) {
                long i = row + x;
                double v;
                if (x == 0 || y == 0 || x == n - 1 || y == n - 1) {
                    v = 0;
                } else {
                    double c = in.getAtIndex(CELL, i);
                    v = c + r * (in.getAtIndex(CELL, i - 1) + in.getAtIndex(CELL, i + 1) + in.getAtIndex(CELL, i - n)
                            + in.getAtIndex(CELL, i + n) - 4 * c);
                    if (Math.abs(x - sx) <= radius && Math.abs(y - sy) <= radius) {
                        v += heat;
                    }
                }
                out.setAtIndex(CELL, i, v);
            }
        }
    }
}
