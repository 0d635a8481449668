package dev.heatgrid.solver.spi;

import java.util.regex.Pattern;

/**
 * A parameter a kernel declares: users set it with {@code --param name=value}, steering changes it
 * while the solver runs with {@code set name=value}, and the frame header records its value.
 *
 * @param name         letters, digits, '_', '.', '-', starting with a letter (at most 31 bytes, so a
 *                     steering command can name it)
 * @param type         how its text is read
 * @param defaultValue the value when the user gives none; must lie in {@code range}
 * @param range        allowed values
 * @param description  one line for {@code heatgrid kernels}, with the unit if there is one
 */
public record ParameterSpec(String name, ParameterType type, double defaultValue, ValueRange range, String description) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,30}");

    public ParameterSpec {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("parameter name '" + name
                    + "' must start with a letter, hold only letters, digits, '_', '.', '-' and be at most 31 characters");
        }
        if (type == null || range == null) {
            throw new IllegalArgumentException("parameter '" + name + "' needs a type and a range");
        }
        if (!type.admits(defaultValue) || !range.contains(defaultValue)) {
            throw new IllegalArgumentException("parameter '" + name + "': default " + defaultValue
                    + " is not a " + type.label() + " in " + range);
        }
        description = description == null ? "" : description;
    }

    public static ParameterSpec real(String name, double defaultValue, ValueRange range, String description) {
        return new ParameterSpec(name, ParameterType.REAL, defaultValue, range, description);
    }

    public static ParameterSpec integer(String name, long defaultValue, ValueRange range, String description) {
        return new ParameterSpec(name, ParameterType.INTEGER, defaultValue, range, description);
    }

    public static ParameterSpec bool(String name, boolean defaultValue, String description) {
        return new ParameterSpec(name, ParameterType.BOOLEAN, defaultValue ? 1 : 0, ValueRange.BOOLEAN, description);
    }

    /**
     * Reads and range-checks a value typed by a user.
     *
     * @throws IllegalArgumentException naming the parameter, the bad value and the allowed range
     */
    public double parse(String text) {
        return check(type.parse("parameter '" + name + "'", text));
    }

    /** Range-checks a value (e.g. from a steering command); returns it. */
    public double check(double value) {
        if (!type.admits(value) || !range.contains(value)) {
            throw new IllegalArgumentException("parameter '" + name + "' is " + (type.admits(value) ? format(value)
                    : Double.toString(value)) + "; allowed a " + type.label() + " in " + range);
        }
        return value;
    }

    /** The text {@link #parse} reads back to exactly {@code value}. */
    public String format(double value) {
        return type.format(value);
    }
}
