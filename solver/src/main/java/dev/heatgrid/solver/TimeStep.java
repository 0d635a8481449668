package dev.heatgrid.solver;

import java.util.Locale;

/**
 * The time step as users choose it: {@code auto} (the kernel's stability rule picks a safe value)
 * or a fixed positive number, which the solver refuses if it is unstable for the kernel.
 *
 * @param value the fixed dt, or NaN for auto
 */
public record TimeStep(double value) {
    public static final TimeStep AUTO = new TimeStep(Double.NaN);

    public TimeStep {
        if (!Double.isNaN(value) && (!(value > 0) || Double.isInfinite(value))) {
            throw new IllegalArgumentException("dt is " + value + "; allowed auto or a finite number > 0");
        }
    }

    public static TimeStep fixed(double dt) {
        return new TimeStep(dt);
    }

    public boolean isAuto() {
        return Double.isNaN(value);
    }

    /** Parses {@code auto} or a number. */
    public static TimeStep parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("auto")) {
            return AUTO;
        }
        double dt;
        try {
            dt = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("dt '" + text + "' is not a number; allowed auto or a finite number > 0");
        }
        return fixed(dt);
    }

    @Override
    public String toString() {
        return isAuto() ? "auto" : Double.toString(value);
    }
}
