package dev.heatgrid.bench.ipc;

import dev.heatgrid.viewer.ColorMap;
import dev.heatgrid.viewer.HeatmapRenderer;
import dev.heatgrid.viewer.Reduction;
import dev.heatgrid.viewer.RenderedFrame;
import java.io.IOException;

/**
 * Issue 8, item 5, as a plain timer (the JMH version is {@code FrameToImageBenchmark}): the viewer's
 * {@link HeatmapRenderer#renderNewest} for a {@value HeadlessViewerMain#PLOT_PIXELS}^2 plot, block
 * mean, checksum verified; median milliseconds per image over {@code samples} images.
 */
final class FrameToImageTime {
    private FrameToImageTime() {
    }

    static double medianMillis(PublishedFrame published, int warmUp, int samples) throws IOException {
        HeatmapRenderer renderer = new HeatmapRenderer(ColorMap.INFERNO, null, Reduction.MEAN);
        int pixels = HeadlessViewerMain.PLOT_PIXELS;
        double[] millis = new double[samples];
        for (int i = -warmUp; i < samples; i++) {
            long start = System.nanoTime();
            RenderedFrame frame = renderer.renderNewest(published.reader, 0, pixels, pixels);
            long elapsed = System.nanoTime() - start;
            renderer.recycle(frame.image());
            if (i >= 0) {
                millis[i] = elapsed / 1e6;
            }
        }
        return Medians.of(millis);
    }
}
