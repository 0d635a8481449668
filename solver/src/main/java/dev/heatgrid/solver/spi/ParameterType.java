package dev.heatgrid.solver.spi;

import java.util.Locale;

/**
 * How a kernel parameter is typed on the command line and in frame headers. Every value is held
 * as a double (integers up to 2^53 exactly, booleans as 0 and 1), because that is what a steering
 * command carries.
 */
public enum ParameterType {
    /** A real number, e.g. {@code 0.25}, {@code 1e-3}. */
    REAL,
    /** A whole number, e.g. {@code 12}. */
    INTEGER,
    /** {@code true} or {@code false}. */
    BOOLEAN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses text of this type; the message names {@code what} and the expected form. */
    double parse(String what, String text) {
        String t = text.trim();
        switch (this) {
            case BOOLEAN -> {
                if (t.equalsIgnoreCase("true")) {
                    return 1;
                }
                if (t.equalsIgnoreCase("false")) {
                    return 0;
                }
                throw new IllegalArgumentException(what + " is '" + text + "'; allowed true or false");
            }
            case INTEGER -> {
                try {
                    return Long.parseLong(t);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(what + " is '" + text + "'; it must be a whole number");
                }
            }
            default -> {
                try {
                    double v = Double.parseDouble(t);
                    if (!Double.isFinite(v)) {
                        throw new NumberFormatException();
                    }
                    return v;
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(what + " is '" + text + "'; it must be a finite number");
                }
            }
        }
    }

    /** The text {@link #parse} reads back to exactly {@code value}. */
    String format(double value) {
        return switch (this) {
            case BOOLEAN -> value != 0 ? "true" : "false";
            case INTEGER -> Long.toString((long) value);
            case REAL -> Double.toString(value);
        };
    }

    /** Whether {@code value} is a value of this type at all (before any range check). */
    boolean admits(double value) {
        return switch (this) {
            case BOOLEAN -> value == 0 || value == 1;
            case INTEGER -> value == Math.rint(value) && Math.abs(value) <= 0x1p53;
            case REAL -> Double.isFinite(value);
        };
    }
}
