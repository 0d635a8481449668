package dev.heatgrid.bench.ipc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A warm-up lasts its duration and 20 frames, but a starved reader is not kept in it for ever. */
class MeasureWindowTest {
    private static final MeasureWindow SMOKE = new MeasureWindow(Duration.ofMillis(200), Duration.ofMillis(300));
    private static final long MS = 1_000_000L;

    @Test
    void aWarmUpLastsItsDurationAndTwentyFrames() {
        assertFalse(SMOKE.warmUpOver(0, 1_000, 199 * MS), "not before its duration, however many frames");
        assertFalse(SMOKE.warmUpOver(0, 19, 500 * MS), "not before 20 frames while under ten times its duration");
        assertTrue(SMOKE.warmUpOver(0, 20, 200 * MS));
    }

    @Test
    void aReaderThatGetsFewFramesEndsItsWarmUpAfterTenTimesItsDuration() {
        assertFalse(SMOKE.warmUpOver(0, 1, 1_999 * MS));
        assertTrue(SMOKE.warmUpOver(0, 1, 2_000 * MS), "a starved reader (a frame a second) measures after 2 s, not 20 frames");
    }
}
