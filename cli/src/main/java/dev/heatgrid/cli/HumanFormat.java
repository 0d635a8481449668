package dev.heatgrid.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Numbers, ages and sizes the way people read them in a terminal: {@code 3577.2}, not
 * {@code 3577.1999999989375}; {@code 8 min 5 s ago}, not {@code 485190 ms ago}. Only for text meant
 * to be read: JSON keeps every digit.
 */
final class HumanFormat {
    private static final MathContext SIX_DIGITS = new MathContext(6);

    private HumanFormat() {
    }

    /** Six significant digits without trailing zeros; scientific notation below 1e-4 and from 1e7 on. */
    static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal rounded = new BigDecimal(v).round(SIX_DIGITS).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-4 && a < 1e7) {
            return rounded.toPlainString();
        }
        String s = String.format(Locale.ROOT, "%.5e", rounded.doubleValue());
        int e = s.indexOf('e');
        String mantissa = s.substring(0, e).replaceAll("0+$", "").replaceAll("\\.$", "");
        return mantissa + "e" + Integer.parseInt(s.substring(e + 1));
    }

    /** An elapsed time: {@code 850 ms}, {@code 12.3 s}, {@code 8 min 5 s}, {@code 3 h 12 min}, {@code 2 d 4 h}. */
    static String duration(long millis) {
        if (millis < 0) {
            return "-" + duration(-millis);
        }
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        long s = millis / 1000;
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        if (s < 86_400) {
            return s / 3600 + " h " + s / 60 % 60 + " min";
        }
        return s / 86_400 + " d " + s / 3600 % 24 + " h";
    }

    /** A size in bytes: {@code 512 bytes}, {@code 68 KiB}, {@code 6.0 MiB}, {@code 1.50 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " bytes";
        }
        if (n < 1024 * 1024) {
            return Math.round(n / 1024.0) + " KiB";
        }
        if (n < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", n / 0x1p20);
        }
        return String.format(Locale.ROOT, "%.2f GiB", n / 0x1p30);
    }
}
