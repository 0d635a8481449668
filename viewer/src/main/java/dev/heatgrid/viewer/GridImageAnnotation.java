package dev.heatgrid.viewer;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import org.jfree.chart.annotations.AbstractXYAnnotation;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.ui.RectangleEdge;

/**
 * The coloured field, drawn as one image stretched over its physical extent in the plot: one
 * {@code drawImage} per frame instead of one rectangle per cell (XYBlockRenderer's ~250 ms at
 * 512^2). Nearest-neighbour scaling keeps cell edges sharp.
 */
final class GridImageAnnotation extends AbstractXYAnnotation {
    private static final long serialVersionUID = 1L;

    private final boolean paintedByPanel;
    private transient BufferedImage image;
    private GridExtent extent;
    private BlockGrid blocks;

    /**
     * @param paintedByPanel true in a live window: the panel paints the image over its cached chart
     *                       ({@link #paintOver}), so a new frame costs one image draw instead of a
     *                       whole chart (axes, labels, colour bar); false to draw with the chart (PNGs)
     */
    GridImageAnnotation(boolean paintedByPanel) {
        this.paintedByPanel = paintedByPanel;
    }

    /**
     * Replaces the image (EDT, or the only thread of a headless chart). Each pixel covers one block
     * of {@code blocks}; partial blocks at the right and top edges overhang the grid and are
     * clipped, so every pixel sits exactly over its cells. A chart-drawn image makes the chart redraw.
     */
    void set(BufferedImage newImage, GridExtent newExtent, BlockGrid newBlocks) {
        this.image = newImage;
        this.extent = newExtent;
        this.blocks = newBlocks;
        if (!paintedByPanel) {
            fireAnnotationChanged();
        }
    }

    @Override
    public void draw(Graphics2D g2, XYPlot plot, Rectangle2D dataArea, ValueAxis domainAxis, ValueAxis rangeAxis,
                     int rendererIndex, PlotRenderingInfo info) {
        if (!paintedByPanel) {
            paint(g2, plot, dataArea);
        }
    }

    /** Paints the image over a chart already drawn, whose data area is {@code dataArea} in {@code g2}'s space. */
    void paintOver(Graphics2D g2, XYPlot plot, Rectangle2D dataArea) {
        paint(g2, plot, dataArea);
    }

    private void paint(Graphics2D g2, XYPlot plot, Rectangle2D dataArea) {
        ValueAxis domainAxis = plot.getDomainAxis();
        ValueAxis rangeAxis = plot.getRangeAxis();
        BufferedImage img = image;
        GridExtent e = extent;
        BlockGrid b = blocks;
        if (img == null || e == null) {
            return;
        }
        double imageWidth = (double) b.width() * b.blockX() * e.dx();
        double imageHeight = (double) b.height() * b.blockY() * e.dy();
        RectangleEdge xEdge = Plot.resolveDomainAxisLocation(plot.getDomainAxisLocation(), plot.getOrientation());
        RectangleEdge yEdge = Plot.resolveRangeAxisLocation(plot.getRangeAxisLocation(), plot.getOrientation());
        double left = domainAxis.valueToJava2D(e.x0(), dataArea, xEdge);
        double right = domainAxis.valueToJava2D(e.x0() + imageWidth, dataArea, xEdge);
        double top = rangeAxis.valueToJava2D(e.y0() + imageHeight, dataArea, yEdge);
        double bottom = rangeAxis.valueToJava2D(e.y0(), dataArea, yEdge);
        var transform = new AffineTransform((right - left) / img.getWidth(), 0, 0, (bottom - top) / img.getHeight(),
                left, top);
        Shape clip = g2.getClip();
        Object interpolation = g2.getRenderingHint(RenderingHints.KEY_INTERPOLATION);
        g2.clip(dataArea);
        g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g2.drawImage(img, transform, null);
        g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                interpolation != null ? interpolation : RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g2.setClip(clip);
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
