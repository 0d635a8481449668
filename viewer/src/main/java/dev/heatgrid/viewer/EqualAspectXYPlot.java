package dev.heatgrid.viewer;

import java.awt.Graphics2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.axis.AxisSpace;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.PlotRenderingInfo;
import org.jfree.chart.plot.PlotState;
import org.jfree.chart.plot.XYPlot;

/**
 * An XY plot whose data area keeps one physical unit the same length on both axes, so a round
 * hot spot looks round and a 2:1 domain looks 2:1 whatever the window's shape; the spare room is
 * left as margin around it.
 */
final class EqualAspectXYPlot extends XYPlot {
    private static final long serialVersionUID = 1L;

    EqualAspectXYPlot(ValueAxis xAxis, ValueAxis yAxis) {
        super(null, xAxis, yAxis, null);
    }

    @Override
    public void draw(Graphics2D g2, Rectangle2D area, Point2D anchor, PlotState parentState, PlotRenderingInfo info) {
        // Twice: tick labels, and so the axes' space, change with the area they are fitted to.
        super.draw(g2, keepAspect(g2, area, keepAspect(g2, area, area)), anchor, parentState, info);
    }

    /** {@code area} shrunk so that the data area {@code trial} would get has equal units per pixel. */
    private Rectangle2D keepAspect(Graphics2D g2, Rectangle2D area, Rectangle2D trial) {
        double xSpan = getDomainAxis().getRange().getLength();
        double ySpan = getRangeAxis().getRange().getLength();
        if (!(xSpan > 0) || !(ySpan > 0)) {
            return area;
        }
        Rectangle2D inner = (Rectangle2D) trial.clone();
        getInsets().trim(inner);
        AxisSpace space = calculateAxisSpace(g2, inner);
        Rectangle2D data = space.shrink(inner, null);
        getAxisOffset().trim(data); // as XYPlot.draw does
        if (data.getWidth() <= 0 || data.getHeight() <= 0) {
            return area;
        }
        double unitsPerPixel = Math.max(xSpan / data.getWidth(), ySpan / data.getHeight());
        double spareX = data.getWidth() - xSpan / unitsPerPixel + (area.getWidth() - trial.getWidth());
        double spareY = data.getHeight() - ySpan / unitsPerPixel + (area.getHeight() - trial.getHeight());
        return new Rectangle2D.Double(area.getX() + spareX / 2, area.getY() + spareY / 2, area.getWidth() - spareX,
                area.getHeight() - spareY);
    }
}
