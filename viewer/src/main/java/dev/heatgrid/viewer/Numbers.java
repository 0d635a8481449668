package dev.heatgrid.viewer;

import java.util.Locale;

/** How the viewer prints a physical quantity: short, and never in a locale's own digits or separators. */
final class Numbers {
    private Numbers() {
    }

    /**
     * Four significant digits without trailing zeros ({@code 0.05}, {@code 312.5}), switching to
     * scientific notation for very small or large magnitudes ({@code 6.8e-4}, {@code 2.5e7}).
     */
    static String compact(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            String s = String.format(Locale.ROOT, "%.3e", v);
            int e = s.indexOf('e');
            String mantissa = trimZeros(s.substring(0, e));
            int exponent = Integer.parseInt(s.substring(e + 1));
            return mantissa + "e" + exponent;
        }
        if (a == 0) {
            return "0";
        }
        return trimZeros(String.format(Locale.ROOT, "%.4g", v));
    }

    private static String trimZeros(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
