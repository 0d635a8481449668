package dev.heatgrid.viewer;

/**
 * The values a colour map spans: {@code min} takes the bottom colour, {@code max} the top one.
 *
 * @param min finite, below {@code max}
 * @param max finite, above {@code min}
 */
public record ValueRange(double min, double max) {
    public ValueRange {
        if (!Double.isFinite(min) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("range " + min + ":" + max + " must have finite ends");
        }
        if (!(min < max)) {
            throw new IllegalArgumentException("range " + min + ":" + max + ": MIN must be less than MAX");
        }
    }

    /**
     * The smallest and largest finite of the first {@code count} values, or NaN, NaN if none is finite:
     * the automatic range where NaN or infinite cells spoil a frame header's extremes.
     */
    public static double[] finiteBounds(double[] values, int count) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            double v = values[i];
            if (v < min && Double.isFinite(v)) {
                min = v;
            }
            if (v > max && Double.isFinite(v)) {
                max = v;
            }
        }
        return min <= max ? new double[] {min, max} : new double[] {Double.NaN, Double.NaN};
    }

    /**
     * Parses {@code MIN:MAX}, e.g. {@code 0:100}, {@code -1.5:1.5} or {@code 2e-3:4e-3}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static ValueRange parse(String text) {
        String form = "expected MIN:MAX with two finite numbers and MIN < MAX, e.g. 0:100 or -1.5:1.5";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no range given; " + form);
        }
        int colon = text.indexOf(':');
        if (colon < 0 || colon != text.lastIndexOf(':')) {
            throw new IllegalArgumentException("range '" + text + "': " + form);
        }
        double min;
        double max;
        try {
            min = Double.parseDouble(text.substring(0, colon).strip());
            max = Double.parseDouble(text.substring(colon + 1).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("range '" + text + "': " + form);
        }
        if (!Double.isFinite(min) || !Double.isFinite(max) || !(min < max)) {
            throw new IllegalArgumentException("range '" + text + "': " + form);
        }
        return new ValueRange(min, max);
    }

    /**
     * The range of data from {@code low} to {@code high}; a constant field gets a small range around
     * its value so it still has a colour (the middle one).
     */
    public static ValueRange covering(double low, double high) {
        if (low < high) {
            return new ValueRange(low, high);
        }
        double pad = low == 0 ? 1 : Math.abs(low) * 1e-3;
        return new ValueRange(low - pad, low + pad);
    }

    public double span() {
        return max - min;
    }

    public boolean contains(double low, double high) {
        return low >= min && high <= max;
    }

    @Override
    public String toString() {
        return Numbers.compact(min) + ":" + Numbers.compact(max);
    }
}
