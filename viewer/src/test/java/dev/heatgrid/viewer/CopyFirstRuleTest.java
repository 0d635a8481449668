package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** In place until the writer overtakes a pass; then copies, probing in place once in PROBE_EVERY frames. */
class CopyFirstRuleTest {
    @Test
    void inPlaceUntilOvertakenThenCopiesAndProbesNowAndThen() {
        var rule = new CopyFirstRule();
        for (int i = 0; i < 100; i++) {
            assertFalse(rule.copyNext(), "nothing lost yet: in place");
            rule.read(false);
        }
        assertFalse(rule.copyNext());
        rule.read(true); // this frame's in-place pass was overtaken
        for (int round = 0; round < 3; round++) {
            for (int i = 1; i < CopyFirstRule.PROBE_EVERY; i++) {
                assertTrue(rule.copyNext(), "frame " + i + " after an overtaken pass is copied first");
                rule.read(false); // a copy says nothing about in-place passes
            }
            assertFalse(rule.copyNext(), "every " + CopyFirstRule.PROBE_EVERY + "th frame probes in place");
            rule.read(true); // and is overtaken again: keep copying
        }
        for (int i = 1; i < CopyFirstRule.PROBE_EVERY; i++) {
            assertTrue(rule.copyNext());
            rule.read(false);
        }
        assertFalse(rule.copyNext());
        rule.read(false); // the probe went through: the writer slowed down
        for (int i = 0; i < 100; i++) {
            assertFalse(rule.copyNext(), "back in place for good");
            rule.read(false);
        }
    }
}
