package dev.heatgrid.solver.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When the helpers join: the compilers quiet over a window of at least 100 ms, or 3 s after the first question. */
class JitQuietTest {
    private long now = 1_000_000_000L;
    private long compiledMillis = 5_000;

    private final JitQuiet quiet = new JitQuiet(() -> compiledMillis, () -> now);

    private void pass(long millis, long compilingMillis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
        compiledMillis += compilingMillis;
    }

    @Test
    void busyCompilersKeepTheHelpersOutAndQuietOnesLetThemIn() {
        assertFalse(quiet.getAsBoolean(), "the first question starts the first window");
        pass(50, 0);
        assertFalse(quiet.getAsBoolean(), "a window shorter than 100 ms says nothing yet");
        pass(60, 40); // 110 ms, 40 ms of it compiling
        assertFalse(quiet.getAsBoolean());
        pass(100, 11); // 11 %: still busy
        assertFalse(quiet.getAsBoolean());
        pass(100, 9); // 9 %
        assertTrue(quiet.getAsBoolean());
    }

    @Test
    void compilersThatNeverQuietenStillLetTheHelpersInAfterThreeSeconds() {
        assertFalse(quiet.getAsBoolean());
        for (int i = 0; i < 29; i++) {
            pass(100, 50);
            assertFalse(quiet.getAsBoolean(), "at " + (i + 1) * 100 + " ms");
        }
        pass(100, 50);
        assertTrue(quiet.getAsBoolean());
    }

    @Test
    void aJvmThatDoesNotCountCompilationTimeLetsThemInAtOnce() {
        assertTrue(new JitQuiet(null, () -> now).getAsBoolean());
    }
}
