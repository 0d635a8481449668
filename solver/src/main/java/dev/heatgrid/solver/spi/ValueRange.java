package dev.heatgrid.solver.spi;

/**
 * An interval of allowed values, each end open or closed; infinite ends mean "no limit".
 * Written the mathematical way: {@code (0, 1e9]}, {@code [1, 64]}, {@code [0, inf)}.
 */
public record ValueRange(double min, boolean minInclusive, double max, boolean maxInclusive) {
    public static final ValueRange ANY = new ValueRange(Double.NEGATIVE_INFINITY, false, Double.POSITIVE_INFINITY, false);
    public static final ValueRange BOOLEAN = closed(0, 1);

    public ValueRange {
        if (Double.isNaN(min) || Double.isNaN(max) || min > max) {
            throw new IllegalArgumentException("range [" + min + ", " + max + "] is empty");
        }
    }

    public static ValueRange closed(double min, double max) {
        return new ValueRange(min, true, max, true);
    }

    /** {@code (0, max]}: strictly positive, at most max. */
    public static ValueRange positive(double max) {
        return new ValueRange(0, false, max, true);
    }

    public static ValueRange atLeast(double min) {
        return new ValueRange(min, true, Double.POSITIVE_INFINITY, false);
    }

    public boolean contains(double v) {
        boolean aboveMin = minInclusive ? v >= min : v > min;
        boolean belowMax = maxInclusive ? v <= max : v < max;
        return aboveMin && belowMax;
    }

    @Override
    public String toString() {
        return (minInclusive ? "[" : "(") + end(min) + ", " + end(max) + (maxInclusive ? "]" : ")");
    }

    private static String end(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        return EdgeCondition.formatValue(v);
    }
}
