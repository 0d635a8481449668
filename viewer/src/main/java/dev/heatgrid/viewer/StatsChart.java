package dev.heatgrid.viewer;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameHeader;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The second panel: min, mean and max of the field (left axis) and its total (right axis, it has
 * other units: heat, not temperature) against simulated time, one point per frame shown, straight
 * from the frame headers. History is bounded, and cleared when a new run starts.
 *
 * <p>Confined to the EDT. Points are added silently and the chart redraws at most
 * {@link #REDRAWS_PER_SECOND} times a second, so the history costs little next to the heat map.
 */
final class StatsChart {
    static final int MAX_POINTS = 5_000;
    static final int REDRAWS_PER_SECOND = 5;

    private final XYSeries min = series("min");
    private final XYSeries mean = series("mean");
    private final XYSeries max = series("max");
    private final XYSeries total = series("total");
    private final NumberAxis valueAxis = new NumberAxis("T");
    private final NumberAxis totalAxis = new NumberAxis("total");
    private final JFreeChart chart;
    private long nextRedraw = System.nanoTime(); // nanoTime may be negative: never compare with a bare 0
    private boolean dirty;

    StatsChart() {
        var values = new XYSeriesCollection();
        values.addSeries(max);
        values.addSeries(mean);
        values.addSeries(min);
        var totals = new XYSeriesCollection(total);
        var time = new NumberAxis("simulated time");
        time.setAutoRangeIncludesZero(false);
        valueAxis.setAutoRangeIncludesZero(false);
        totalAxis.setAutoRangeIncludesZero(false);
        for (NumberAxis axis : new NumberAxis[] {time, valueAxis, totalAxis}) {
            axis.setNumberFormatOverride(new TickFormat());
            axis.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        }
        var plot = new XYPlot(values, time, valueAxis, lines(new Color(0xD1495B), new Color(0x333333),
                new Color(0x2E86AB)));
        plot.setDataset(1, totals);
        plot.setRangeAxis(1, totalAxis);
        plot.setRangeAxisLocation(1, AxisLocation.BOTTOM_OR_RIGHT);
        plot.mapDatasetToRangeAxis(1, 1);
        var totalRenderer = lines(new Color(0xEDA100));
        totalRenderer.setSeriesStroke(0, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                new float[] {6, 3}, 0));
        plot.setRenderer(1, totalRenderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        chart = new JFreeChart(null, null, plot, false);
        var legend = new LegendTitle(plot);
        legend.setPosition(RectangleEdge.TOP);
        legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
    }

    private static XYSeries series(String name) {
        var series = new XYSeries(name, false, true);
        series.setMaximumItemCount(MAX_POINTS);
        return series;
    }

    private static XYLineAndShapeRenderer lines(Color... colors) {
        var renderer = new XYLineAndShapeRenderer(true, false);
        renderer.setDrawSeriesLineAsPath(true); // one path per series: far cheaper than a line per point
        for (int i = 0; i < colors.length; i++) {
            renderer.setSeriesPaint(i, colors[i]);
            renderer.setSeriesStroke(i, new BasicStroke(1.5f));
        }
        return renderer;
    }

    JFreeChart chart() {
        return chart;
    }

    /** A new run, or another field: start an empty history. */
    void restart(String field) {
        valueAxis.setLabel(field);
        totalAxis.setLabel("total " + field + " · dx · dy");
        for (XYSeries s : new XYSeries[] {min, mean, max, total}) {
            s.clear();
        }
    }

    /** Adds a frame's statistics of field {@code f}. */
    void add(FrameHeader header, int f) {
        FieldStats s = header.stats().get(f);
        double t = header.time();
        min.add(t, s.min(), false);
        mean.add(t, s.mean(), false);
        max.add(t, s.max(), false);
        total.add(t, s.total(), false);
        dirty = true;
        redrawIfDue();
    }

    /** Redraws if points arrived and the last redraw is old enough. */
    void redrawIfDue() {
        long now = System.nanoTime();
        if (dirty && now - nextRedraw >= 0) {
            nextRedraw = now + 1_000_000_000L / REDRAWS_PER_SECOND;
            dirty = false;
            for (XYSeries series : new XYSeries[] {min, mean, max, total}) {
                series.fireSeriesChanged();
            }
        }
    }

    int points() {
        return min.getItemCount();
    }
}
