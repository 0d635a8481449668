package dev.heatgrid.viewer;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

    /**
     * Writes {@code image} to {@code png} through a temporary file in the same folder, so a movie
     * maker or a web page polling the file never reads half a PNG.
     */
    static void write(BufferedImage image, Path png) throws IOException {
        Path target = png.toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null,
                    "cannot write " + png + ": folder " + dir + " does not exist");
        }
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".part");
        try {
            if (!ImageIO.write(image, "png", temp.toFile())) {
                throw new IOException("this Java runtime has no PNG writer");
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
