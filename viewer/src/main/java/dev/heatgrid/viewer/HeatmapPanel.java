package dev.heatgrid.viewer;

import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.ChartPanel;

/**
 * The live heat map: a {@link ChartPanel} that keeps the chart (axes, colour bar, titles) in its
 * buffer and paints the current frame's image over the data area on every repaint. A new frame
 * therefore costs one scaled image draw on the EDT; the chart itself is redrawn only when it
 * changes (resize, new range, another field).
 */
final class HeatmapPanel extends ChartPanel {
    private static final long serialVersionUID = 1L;

    private final transient HeatmapChart heatmap;
    private transient Runnable afterPaint = () -> { };

    HeatmapPanel(HeatmapChart heatmap) {
        // No zoom: the image holds the frame at the panel's resolution, so zooming in would only
        // magnify blocks (and the image would hide the zoom rectangle).
        super(heatmap.chart(), false, true, false, false, false);
        this.heatmap = heatmap;
        getChartRenderingInfo().setEntityCollection(null); // no tooltips: nothing to hit-test
        // ChartPanel would otherwise draw at most 1024x768 and stretch the result: blurry cells.
        setMaximumDrawWidth(8192);
        setMaximumDrawHeight(8192);
        setMinimumDrawWidth(100);
        setMinimumDrawHeight(100);
    }

    /** Runs on the EDT after every paint that showed the current frame. */
    void afterPaint(Runnable action) {
        this.afterPaint = action;
    }

    /** The plot's data area in this panel, as last drawn (empty before the first paint). */
    Rectangle2D dataArea() {
        return getScreenDataArea();
    }

    @Override
    public void paintComponent(Graphics g) {
        super.paintComponent(g);
        if (heatmap.shown() == null) {
            return;
        }
        Graphics2D g2 = (Graphics2D) g.create();
        try {
            heatmap.paintImageOver(g2, getScreenDataArea());
        } finally {
            g2.dispose();
        }
        afterPaint.run();
    }
}
