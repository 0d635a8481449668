package dev.heatgrid.viewer;

import java.util.Locale;

/** How the viewer prints a physical quantity: short, and never in a locale's own digits or separators. */
final class Numbers {
    private Numbers() {
    }

    /** Four significant digits, switching to scientific notation for very small or large magnitudes. */
    static String compact(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains(".") && !s.contains("e")) {
            s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return s;
    }
}
