package dev.heatgrid.solver;

import java.util.function.LongSupplier;

/**
 * A {@link StopCondition} measured against a run: whether it holds, how many more steps it surely
 * allows (so a publication interval never steps past it), and how far the run has come towards it
 * (the progress line's fraction and ETA). The one place where an end time counts as reached.
 * Allocates nothing: it is asked once per step.
 */
final class StopRule {
    private final StopCondition condition;
    /** Simulated time when the run began: what fraction() measures an end time from. */
    private final double startTime;
    /** Nanoseconds the run has been stepping, pauses excluded: what a wall-clock condition counts. */
    private final LongSupplier activeNanos;
    private final boolean measuresChange;

    StopRule(StopCondition condition, double startTime, LongSupplier activeNanos) {
        this.condition = condition;
        this.startTime = startTime;
        this.activeNanos = activeNanos;
        this.measuresChange = mentionsSteady(condition);
    }

    private static boolean mentionsSteady(StopCondition c) {
        return c instanceof StopCondition.Steady
                || (c instanceof StopCondition.AnyOf any && any.conditions().stream().anyMatch(StopRule::mentionsSteady));
    }

    /** Whether the condition needs the largest change of a step (max |du|), which is then measured at every publication. */
    boolean measuresChange() {
        return measuresChange;
    }

    /**
     * Why the run ends after {@code stepsDone} steps at simulated time {@code time}, with steps of
     * {@code dt} and {@code maxDelta} the newest measured change, or null while it goes on.
     */
    StopReason met(long stepsDone, double time, double dt, double maxDelta) {
        return met(condition, stepsDone, time, dt, maxDelta);
    }

    private StopReason met(StopCondition c, long stepsDone, double time, double dt, double maxDelta) {
        return switch (c) {
            case StopCondition.Steps s -> stepsDone >= s.count() ? StopReason.STEPS_DONE : null;
            case StopCondition.UntilTime u -> reached(time, u.time(), dt) ? StopReason.TIME_REACHED : null;
            case StopCondition.Steady s -> maxDelta < s.tolerance() ? StopReason.STEADY_STATE : null;
            case StopCondition.WallClock w -> activeNanos.getAsLong() >= w.duration().toNanos()
                    ? StopReason.DURATION_ELAPSED : null;
            case StopCondition.UntilStopped u -> null;
            case StopCondition.AnyOf any -> {
                for (StopCondition each : any.conditions()) {
                    StopReason r = met(each, stepsDone, time, dt, maxDelta);
                    if (r != null) {
                        yield r;
                    }
                }
                yield null;
            }
        };
    }

    /** Whether simulated time t has reached the end (a sum of dt's that should land on it may land a hair below). */
    private static boolean reached(double t, double end, double dt) {
        return t >= end - 1e-9 * dt;
    }

    /** Steps until the condition surely holds, at most {@code limit}; Long.MAX_VALUE where that cannot be told. */
    long stepsBound(long stepsDone, double time, double dt, long limit) {
        return stepsBound(condition, stepsDone, time, dt, limit);
    }

    private long stepsBound(StopCondition c, long stepsDone, double time, double dt, long limit) {
        return switch (c) {
            case StopCondition.Steps s -> s.count() - stepsDone;
            case StopCondition.UntilTime u -> {
                double t = time;
                long k = 0;
                while (!reached(t, u.time(), dt) && k < limit) {
                    t += dt;
                    k++;
                }
                yield k;
            }
            case StopCondition.AnyOf any -> {
                long bound = Long.MAX_VALUE;
                for (StopCondition each : any.conditions()) {
                    bound = Math.min(bound, stepsBound(each, stepsDone, time, dt, limit));
                }
                yield bound;
            }
            default -> Long.MAX_VALUE;
        };
    }

    /** The fraction of the condition done, in [0, 1]; NaN where it cannot be told (steady state, until stopped). */
    double fraction(long stepsDone, double time) {
        return fraction(condition, stepsDone, time);
    }

    private double fraction(StopCondition c, long stepsDone, double time) {
        return switch (c) {
            case StopCondition.Steps s -> s.count() == 0 ? 1 : Math.min(1, (double) stepsDone / s.count());
            case StopCondition.UntilTime u -> u.time() <= startTime ? 1 : Math.min(1, (time - startTime) / (u.time() - startTime));
            case StopCondition.WallClock w -> Math.min(1, (double) activeNanos.getAsLong() / w.duration().toNanos());
            case StopCondition.AnyOf any -> {
                double most = Double.NaN;
                for (StopCondition each : any.conditions()) {
                    double f = fraction(each, stepsDone, time);
                    most = Double.isNaN(most) || f > most ? f : most;
                }
                yield most;
            }
            default -> Double.NaN;
        };
    }
}
