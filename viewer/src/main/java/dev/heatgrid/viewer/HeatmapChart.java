package dev.heatgrid.viewer;

import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.DefaultXYDataset;

/**
 * The heat map chart: the field's image in an XY plot with axes in physical units, a colour bar
 * ({@link PaintScaleLegend}) built from the very table and range the image was coloured with, a
 * title naming generation, step and time, and a subtitle saying what is shown and how.
 *
 * <p>Like every JFreeChart object it is confined to one thread: the EDT in a window, the caller's
 * thread when rendering a PNG.
 */
final class HeatmapChart {
    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font SUBTITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private final Path segment;
    private final NumberAxis xAxis = axis("x");
    private final NumberAxis yAxis = axis("y");
    private final NumberAxis barAxis = new NumberAxis();
    private final boolean live;
    private final GridImageAnnotation image;
    /** The grid's corners, drawn as nothing: they give the axes their auto range (and "zoom out" its target). */
    private final DefaultXYDataset corners = new DefaultXYDataset();
    private final PaintScaleLegend colorBar;
    private final TextTitle title = new TextTitle("waiting for the first frame", TITLE_FONT);
    private final TextTitle subtitle = new TextTitle("", SUBTITLE_FONT);
    private final JFreeChart chart;
    private final EqualAspectXYPlot plot;
    private RenderedFrame shown;

    /** A chart for a PNG: it draws everything, the title names the frame. */
    HeatmapChart(Path segment) {
        this(segment, false);
    }

    /**
     * @param live for a window: the panel paints each new image over the cached chart, and the chart
     *             (title naming field and segment; the status bar has the frame) redraws only when its
     *             axes, colour bar or subtitle change
     */
    HeatmapChart(Path segment, boolean live) {
        this.segment = segment;
        this.live = live;
        this.image = new GridImageAnnotation(live);
        plot = new EqualAspectXYPlot(xAxis, yAxis);
        var plot = this.plot;
        plot.setDataset(corners);
        plot.setRenderer(new XYLineAndShapeRenderer(false, false));
        plot.addAnnotation(image);
        plot.setBackgroundPaint(new Color(0xE8E8E8));
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.setAxisOffset(new RectangleInsets(4, 4, 4, 4));
        plot.setOutlinePaint(Color.DARK_GRAY);

        barAxis.setAutoRangeIncludesZero(false);
        barAxis.setNumberFormatOverride(new TickFormat());
        barAxis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        barAxis.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        colorBar = new PaintScaleLegend(new ColorMapPaintScale(ColorMap.INFERNO, new ValueRange(0, 1)), barAxis);
        colorBar.setPosition(RectangleEdge.RIGHT);
        colorBar.setAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        colorBar.setStripWidth(18);
        colorBar.setAxisOffset(4);
        colorBar.setSubdivisionCount(ColorMap.SIZE);
        colorBar.setStripOutlineVisible(true);
        colorBar.setMargin(new RectangleInsets(10, 6, 40, 10));
        colorBar.setBackgroundPaint(Color.WHITE);

        chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setTitle(title);
        chart.addSubtitle(subtitle);
        chart.addSubtitle(colorBar);
        chart.setBackgroundPaint(Color.WHITE);
        // Everything but text is axis-aligned: antialiasing would only send the colour bar's 256
        // strips and the image through the slow coverage rasterizer on every frame.
        chart.setAntiAlias(false);
        chart.setTextAntiAlias(true);
    }

    private static NumberAxis axis(String label) {
        var axis = new NumberAxis(label);
        axis.setAutoRangeIncludesZero(false);
        axis.setAutoRangeStickyZero(false);
        axis.setNumberFormatOverride(new TickFormat());
        axis.setLowerMargin(0);
        axis.setUpperMargin(0);
        axis.setLabelFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        axis.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        return axis;
    }

    JFreeChart chart() {
        return chart;
    }

    /** Paints the shown frame's image over the chart as drawn, in a panel whose data area is {@code dataArea}. */
    void paintImageOver(java.awt.Graphics2D g2, java.awt.geom.Rectangle2D dataArea) {
        image.paintOver(g2, plot, dataArea);
    }

    /** The frame on display, or null. */
    RenderedFrame shown() {
        return shown;
    }

    /** Shows a frame; returns the one it replaced (its image may be recycled), or null. */
    RenderedFrame show(RenderedFrame frame) {
        RenderedFrame previous = shown;
        shown = frame;
        // No setNotify(false/true) around this: re-enabling always redraws the whole chart, and a
        // live frame must cost one image draw. Each change below fires only if something changed.
        GridExtent e = frame.extent();
        if (previous == null || !previous.extent().equals(e)) {
            corners.addSeries("extent", new double[][] {{e.x0(), e.x0() + e.width()},
                    {e.y0(), e.y0() + e.height()}});
            xAxis.setAutoRange(true);
            yAxis.setAutoRange(true);
        }
        image.set(frame.image(), frame.extent(), frame.blocks());
        if (previous == null || previous.colorMap() != frame.colorMap() || !previous.range().equals(frame.range())) {
            colorBar.setScale(new ColorMapPaintScale(frame.colorMap(), frame.range()));
            barAxis.setRange(frame.range().min(), frame.range().max());
        }
        setText(title, live ? frame.field() + "  ·  " + segment.getFileName() : titleOf(frame));
        setText(subtitle, subtitleOf(frame));
        if (!frame.field().equals(barAxis.getLabel())) {
            barAxis.setLabel(frame.field());
        }
        return previous;
    }

    /** Titles fire a redraw even when the text is the same. */
    private static void setText(TextTitle title, String text) {
        if (!text.equals(title.getText())) {
            title.setText(text);
        }
    }

    /** E.g. {@code T  ·  generation 1234  ·  step 56780  ·  t = 0.5678}. */
    static String titleOf(RenderedFrame frame) {
        var h = frame.header();
        return frame.field() + "  ·  generation " + h.generation() + "  ·  step " + h.step() + "  ·  t = "
                + Numbers.compact(h.time());
    }

    private String subtitleOf(RenderedFrame frame) {
        GridExtent e = frame.extent();
        BlockGrid b = frame.blocks();
        var text = new StringBuilder(live ? "" : segment.getFileName() + "  ·  ");
        text.append(String.format(Locale.ROOT, "%d × %d cells, dx = %s, dy = %s", e.nx(), e.ny(),
                Numbers.compact(e.dx()), Numbers.compact(e.dy())));
        if (b.downsampled()) {
            text.append(String.format(Locale.ROOT, "  ·  shown as %d × %d (block %s of %d × %d)", b.width(), b.height(),
                    frame.reduction().id(), b.blockX(), b.blockY()));
        }
        text.append("  ·  ").append(frame.colorMap().id()).append(frame.rangeFixed() ? ", fixed range " : ", auto range ")
                .append(frame.range());
        return text.toString();
    }
}
