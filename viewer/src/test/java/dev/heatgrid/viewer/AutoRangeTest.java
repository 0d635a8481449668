package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AutoRangeTest {
    @Test
    void firstFrameSpansItsDataExactly() {
        var range = new AutoRange();
        assertEquals(new ValueRange(20, 100), range.update(20, 100));
    }

    @Test
    void growsAtOnceWithHeadroomSoSteadyGrowthDoesNotRescaleEveryFrame() {
        var range = new AutoRange();
        range.update(0, 100);
        ValueRange grown = range.update(0, 110);
        assertTrue(grown.max() > 110, "headroom above the new maximum");
        assertEquals(0, grown.min(), "the side that did not grow stays put");
        assertSame(grown, range.update(0, 112), "a little more growth fits in the headroom");
    }

    @Test
    void jitterNeverMovesTheRange() {
        var range = new AutoRange();
        ValueRange first = range.update(0, 100);
        for (int i = 0; i < 500; i++) {
            double wobble = i % 2 == 0 ? 0 : 30;
            assertSame(first, range.update(wobble, 100 - wobble), "frame " + i);
        }
    }

    @Test
    void shrinksOnlyAfterTheDataStayedNarrowForAWhile() {
        var range = new AutoRange();
        ValueRange wide = range.update(0, 100);
        for (int i = 1; i < AutoRange.SHRINK_AFTER_FRAMES; i++) {
            assertSame(wide, range.update(40, 50));
        }
        assertEquals(new ValueRange(40, 50), range.update(40, 50));
        range.update(40, 100); // wide again: the count starts over
        ValueRange regrown = range.update(40, 100);
        for (int i = 1; i < AutoRange.SHRINK_AFTER_FRAMES; i++) {
            range.update(45, 50);
        }
        range.update(0 + 40, 100);
        assertSame(regrown, range.update(45, 50), "one wide frame resets the shrink countdown");
    }

    @Test
    void constantAndNonFiniteData() {
        var range = new AutoRange();
        ValueRange constant = range.update(5, 5);
        assertTrue(constant.min() < 5 && constant.max() > 5);
        assertSame(constant, range.update(Double.NaN, Double.NaN));
        assertEquals(new ValueRange(0, 1), new AutoRange().update(Double.NaN, 1));
    }
}
