package dev.heatgrid.solver;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a run ends by itself. A run also ends on a steering STOP, a signal or {@link RunControl},
 * and whatever ends it, what was computed since the last publication is published first.
 */
public sealed interface StopCondition {
    /** {@code --steps N}: N more steps from wherever the grid is (also after a resume). */
    record Steps(long count) implements StopCondition {
        public Steps {
            if (count < 0) {
                throw new IllegalArgumentException("steps is " + count + "; allowed 0.." + Long.MAX_VALUE);
            }
        }
    }

    /**
     * {@code --until T}: until simulated time reaches T. The run stops at the first step whose time
     * is at least T (within 1e-9 of a step, so that a sum of dt's that should land on T does).
     */
    record UntilTime(double time) implements StopCondition {
        public UntilTime {
            if (!Double.isFinite(time) || time < 0) {
                throw new IllegalArgumentException("until time is " + time + "; allowed a finite number >= 0");
            }
        }
    }

    /**
     * {@code --steady TOL}: until the largest change of any node over one step, max |du|, is below
     * TOL. Checked on every published step.
     */
    record Steady(double tolerance) implements StopCondition {
        public Steady {
            if (!(tolerance > 0) || Double.isInfinite(tolerance)) {
                throw new IllegalArgumentException("steady tolerance is " + tolerance + "; allowed a finite number > 0");
            }
        }
    }

    /** {@code --duration 30s}: until the solver has been stepping this long (pauses do not count). */
    record WallClock(Duration duration) implements StopCondition {
        public WallClock {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration is " + duration + "; it must be > 0");
            }
        }
    }

    /** Only a steering STOP, a signal or {@link RunControl} ends the run. */
    record UntilStopped() implements StopCondition {
    }

    /** Ends as soon as any of the conditions holds, e.g. steady state but at most an hour. */
    record AnyOf(List<StopCondition> conditions) implements StopCondition {
        public AnyOf {
            conditions = List.copyOf(conditions);
            if (conditions.isEmpty()) {
                throw new IllegalArgumentException("no stop condition given");
            }
        }
    }

    static StopCondition steps(long count) {
        return new Steps(count);
    }

    static StopCondition untilTime(double time) {
        return new UntilTime(time);
    }

    static StopCondition steady(double tolerance) {
        return new Steady(tolerance);
    }

    static StopCondition duration(Duration duration) {
        return new WallClock(duration);
    }

    static StopCondition untilStopped() {
        return new UntilStopped();
    }

    static StopCondition anyOf(StopCondition... conditions) {
        return new AnyOf(List.of(conditions));
    }

    /** Parses {@code --steps}: a whole number >= 0. */
    static StopCondition parseSteps(String text) {
        try {
            return steps(Long.parseLong(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("steps '" + text + "' is not a whole number; allowed 0.." + Long.MAX_VALUE);
        }
    }

    /** Parses {@code --until}: a simulated time >= 0. */
    static StopCondition parseUntil(String text) {
        try {
            return untilTime(Double.parseDouble(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("until time '" + text + "' is not a number; allowed a finite number >= 0");
        }
    }

    /** Parses {@code --steady}: a tolerance > 0. */
    static StopCondition parseSteady(String text) {
        try {
            return steady(Double.parseDouble(text.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("steady tolerance '" + text + "' is not a number; allowed a finite number > 0");
        }
    }

    /** Parses {@code --duration}: see {@link #parseDuration}. */
    static StopCondition parseWallClock(String text) {
        return duration(parseDuration(text));
    }

    /**
     * A duration as people type it: a number with a unit {@code ms}, {@code s}, {@code m}, {@code h}
     * ({@code 30s}, {@code 1.5m}, {@code 1h30m}, {@code 250ms}); a bare number means seconds.
     */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        String form = "duration '" + text + "' is not like 30s, 250ms, 5m, 1h30m (units ms, s, m, h; > 0)";
        if (t.isEmpty()) {
            throw new IllegalArgumentException(form);
        }
        try {
            if (t.matches("[0-9.]+")) {
                t = t + "s";
            }
            Matcher m = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ms|s|m|h)").matcher(t);
            double nanos = 0;
            int at = 0;
            while (m.find()) {
                if (m.start() != at) {
                    throw new IllegalArgumentException(form);
                }
                double v = Double.parseDouble(m.group(1));
                nanos += v * switch (m.group(2)) {
                    case "ms" -> 1e6;
                    case "s" -> 1e9;
                    case "m" -> 60e9;
                    default -> 3600e9;
                };
                at = m.end();
            }
            if (at != t.length() || !(nanos >= 1) || nanos > 1e18) {
                throw new IllegalArgumentException(form);
            }
            return Duration.ofNanos((long) nanos);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(form);
        }
    }
}
