package dev.heatgrid.viewer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;

/** Draws a chart off screen and writes it as a PNG that appears under its name only when complete. */
final class ChartPng {
    private ChartPng() {
    }

    /** The chart drawn at {@code size}; {@code info} (may be null) receives where the plot went. */
    static BufferedImage draw(JFreeChart chart, ImageSize size, ChartRenderingInfo info) {
        return chart.createBufferedImage(size.width(), size.height(), BufferedImage.TYPE_INT_RGB, info);
    }

    /** Writes {@code image} to {@code png}, which appears only when complete ({@link AtomicFileWriter}). */
    static void write(BufferedImage image, Path png) throws IOException {
        AtomicFileWriter.write(png, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("this Java runtime has no PNG writer");
            }
        });
    }
}
