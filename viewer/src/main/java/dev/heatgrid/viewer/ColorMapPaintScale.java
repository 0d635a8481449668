package dev.heatgrid.viewer;

import java.awt.Color;
import java.awt.Paint;
import org.jfree.chart.renderer.PaintScale;

/**
 * A {@link ColorMap} over a {@link ValueRange} as JFreeChart's {@link PaintScale}, for the colour
 * bar: it answers with exactly the table entries the image was coloured with.
 */
final class ColorMapPaintScale implements PaintScale {
    private final ColorMap map;
    private final ValueRange range;
    private final Color[] colors = new Color[ColorMap.SIZE];

    ColorMapPaintScale(ColorMap map, ValueRange range) {
        this.map = map;
        this.range = range;
        for (int i = 0; i < colors.length; i++) {
            colors[i] = new Color(map.entry(i));
        }
    }

    ColorMap map() {
        return map;
    }

    ValueRange range() {
        return range;
    }

    @Override
    public double getLowerBound() {
        return range.min();
    }

    @Override
    public double getUpperBound() {
        return range.max();
    }

    @Override
    public Paint getPaint(double value) {
        double position = (value - range.min()) * ColorMap.SIZE / range.span();
        return colors[(int) Math.clamp(position, 0, ColorMap.SIZE - 1)];
    }
}
