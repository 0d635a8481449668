package dev.heatgrid.viewer;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How often a time-lapse takes a frame: every {@code generations} generations, or every
 * {@code interval} of wall-clock time. Exactly one of the two is set.
 *
 * @param generations at least 1, or 0 when {@code interval} is set
 * @param interval    positive, or null when {@code generations} is set
 */
public record Cadence(long generations, Duration interval) {
    private static final Pattern DURATION = Pattern.compile("([0-9]*\\.?[0-9]+)\\s*(ms|s|m|min)");
    private static final String FORM = "expected N (a frame every N generations, N >= 1) or a time such as 2s,"
            + " 0.5s, 250ms or 1m (a frame every that long)";

    public Cadence {
        if ((generations > 0) == (interval != null)) {
            throw new IllegalArgumentException("a cadence is either every N generations or every time interval");
        }
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("time-lapse interval " + interval + " must be positive");
        }
    }

    public static Cadence everyGenerations(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("time-lapse every " + n + " generations: " + FORM);
        }
        return new Cadence(n, null);
    }

    public static Cadence every(Duration interval) {
        return new Cadence(0, interval);
    }

    /** Parses {@code N} (generations) or a time with a unit: {@code 2s}, {@code 0.5s}, {@code 250ms}, {@code 1m}. */
    public static Cadence parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no time-lapse cadence given; " + FORM);
        }
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.chars().allMatch(Character::isDigit)) {
            try {
                return everyGenerations(Long.parseLong(t));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("time-lapse cadence '" + text + "': " + FORM);
            }
        }
        Matcher m = DURATION.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("time-lapse cadence '" + text + "': " + FORM);
        }
        double amount = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> amount;
            case "s" -> amount * 1e3;
            default -> amount * 60e3;
        };
        if (millis < 1) {
            throw new IllegalArgumentException("time-lapse cadence '" + text + "' is under a millisecond; " + FORM);
        }
        return every(Duration.ofNanos((long) (millis * 1e6)));
    }

    public boolean byGenerations() {
        return generations > 0;
    }

    @Override
    public String toString() {
        return byGenerations() ? "every " + generations + " generations" : "every " + interval.toMillis() / 1000.0 + " s";
    }
}
