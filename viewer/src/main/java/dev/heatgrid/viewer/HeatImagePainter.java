package dev.heatgrid.viewer;

/**
 * Colours reduced values into an ARGB raster in one pass over an {@code int[]}: a multiply, a clamp
 * and a table load per pixel. Grid row 0 (lowest y) goes to the bottom image row, so the image
 * reads like the plot: y grows upwards.
 */
final class HeatImagePainter {
    private HeatImagePainter() {
    }

    static void paint(double[] values, int width, int height, ValueRange range, ColorMap map, int[] pixels) {
        int[] table = map.table();
        int top = ColorMap.SIZE - 1;
        double min = range.min();
        double scale = ColorMap.SIZE / range.span();
        for (int gy = 0; gy < height; gy++) {
            int in = gy * width;
            int outRow = (height - 1 - gy) * width;
            for (int x = 0; x < width; x++) {
                double v = values[in + x];
                double position = (v - min) * scale;
                // (int) of NaN is 0: test explicitly so NaN is never drawn as the lowest value.
                pixels[outRow + x] = v != v ? ColorMap.NAN_ARGB
                        : table[position <= 0 ? 0 : position >= top ? top : (int) position];
            }
        }
    }
}
