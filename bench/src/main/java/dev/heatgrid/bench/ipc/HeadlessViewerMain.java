package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.viewer.HeatmapRenderer;
import dev.heatgrid.viewer.RenderedFrame;
import dev.heatgrid.viewer.SchedulingPriority;
import dev.heatgrid.viewer.ViewerOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A viewer without a window, for the solver-with-viewers benchmark: what the live viewer's reading
 * thread does per frame (wait for a newer generation with the futex, then the viewer's own
 * {@link HeatmapRenderer#renderNewest}: reduce and checksum in place, validate, colour) at the
 * viewer's default rate of {@value ViewerOptions#DEFAULT_FPS} frames/s, for a plot of
 * {@value #PLOT_PIXELS}^2 pixels. Swing painting is left out (it costs the EDT one image draw).
 * Prints {@code READY} after its first image and, when its stdin closes,
 * {@code RENDERED frames=F seconds=S failures=K} (K: renders that gave up because the solver kept
 * overtaking the read, each followed by a 100 ms pause, as in the live viewer).
 *
 * <p>Args: {@code SEGMENT [NICE]} (default the viewer's nice 10).
 */
public final class HeadlessViewerMain {
    static final int PLOT_PIXELS = 600;
    private static final long WAIT_MILLIS = 100;
    /** The live viewer's pause after a failed read (ViewerLoop.MAX_WAIT_NANOS). */
    private static final long RETRY_AFTER_FAILURE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private HeadlessViewerMain() {
    }

    public static void main(String[] args) throws Exception {
        ViewerOptions options = ViewerOptions.defaults();
        long interval = options.frameIntervalNanos();
        HeatmapRenderer renderer = new HeatmapRenderer(options);
        SchedulingPriority.lowerCurrentThread(args.length > 1 ? Integer.parseInt(args[1])
                : SchedulingPriority.VIEWER_NICE);
        try (FrameReader reader = FrameReader.open(Path.of(args[0]))) {
            Thread stopper = StdinWatch.start();
            long shown = 0;
            long frames = 0;
            long failures = 0;
            long start = System.nanoTime();
            long nextFrameAt = start;
            while (stopper.isAlive()) {
                if (reader.generation() <= shown) {
                    reader.awaitNewer(shown, WAIT_MILLIS, TimeUnit.MILLISECONDS);
                    continue;
                }
                long now = System.nanoTime();
                if (now - nextFrameAt < 0) {
                    LockSupport.parkNanos(nextFrameAt - now); // newer frames pile up: only the newest is shown
                    continue;
                }
                nextFrameAt = now + interval;
                RenderedFrame frame;
                try {
                    frame = renderer.renderNewest(reader, 0, PLOT_PIXELS, PLOT_PIXELS);
                } catch (IOException overtaken) {
                    // As the live viewer's loop does: report, keep the last image, try again a little later.
                    failures++;
                    LockSupport.parkNanos(RETRY_AFTER_FAILURE_NANOS);
                    continue;
                }
                if (frame == null) {
                    continue;
                }
                shown = frame.generation();
                renderer.recycle(frame.image());
                if (frames++ == 0) {
                    System.out.println("READY");
                    System.out.flush();
                }
            }
            System.out.printf(Locale.ROOT, "RENDERED frames=%d seconds=%.3f failures=%d%n", frames,
                    (System.nanoTime() - start) / 1e9, failures);
        }
    }
}
