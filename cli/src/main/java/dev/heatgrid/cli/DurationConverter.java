package dev.heatgrid.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as people type them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1.5s}. */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        Matcher m = DURATION.matcher(value.trim());
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration; use a number and a unit: ms, s, m or h"
                    + " (e.g. 30s)");
        }
        double amount = Double.parseDouble(m.group(1));
        double millis = amount * switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        if (millis <= 0 || millis > 1e12) {
            throw new TypeConversionException("'" + value + "' is out of range; allowed 1ms .. 31 years");
        }
        return Duration.ofNanos((long) (millis * 1e6));
    }
}
