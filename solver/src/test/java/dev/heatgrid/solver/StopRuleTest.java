package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic of a stop condition against a run, apart from any run. */
class StopRuleTest {
    @Test
    void anEndTimeIsReachedByASumOfStepsThatLandsAHairBelowIt() {
        double t = 0;
        for (int i = 0; i < 10; i++) {
            t += 0.1;
        }
        assertTrue(t < 1.0, "the sum of ten 0.1 is " + t);
        StopRule rule = new StopRule(new StopCondition.UntilTime(1.0), 0, () -> 0);
        assertEquals(StopReason.TIME_REACHED, rule.met(10, t, 0.1, Double.NaN));
        assertNull(rule.met(9, t - 0.1, 0.1, Double.NaN));
        assertEquals(0, rule.stepsBound(10, t, 0.1, 64), "no step beyond the end time");
        assertEquals(1, rule.stepsBound(9, t - 0.1, 0.1, 64));
        assertEquals(8, new StopRule(new StopCondition.UntilTime(100), 0, () -> 0).stepsBound(0, 0, 0.1, 8),
                "at most the publication interval");
        assertEquals(0.5, rule.fraction(5, 0.5), 1e-12);
    }

    @Test
    void anyOfEndsAtTheFirstConditionThatHoldsAndReportsTheMostAdvanced() {
        long[] active = {0};
        StopRule rule = new StopRule(new StopCondition.AnyOf(List.of(new StopCondition.Steady(1e-6),
                new StopCondition.Steps(100), new StopCondition.WallClock(Duration.ofSeconds(10)))), 0, () -> active[0]);
        assertTrue(rule.measuresChange(), "steady state inside any-of: the change must be measured");
        assertFalse(new StopRule(new StopCondition.Steps(3), 0, () -> 0).measuresChange());
        assertNull(rule.met(50, 5, 0.1, 1e-3));
        assertEquals(0.5, rule.fraction(50, 5), 1e-12, "steps are further than the clock; steady state tells nothing");
        assertEquals(50, rule.stepsBound(50, 5, 0.1, 64));
        active[0] = Duration.ofSeconds(10).toNanos();
        assertEquals(StopReason.DURATION_ELAPSED, rule.met(50, 5, 0.1, 1e-3));
        assertEquals(1.0, rule.fraction(50, 5), 1e-12);
        assertEquals(StopReason.STEADY_STATE, rule.met(50, 5, 0.1, 1e-7), "the first condition listed that holds");
        assertEquals(Double.NaN, new StopRule(new StopCondition.UntilStopped(), 0, () -> 0).fraction(5, 1));
    }
}
