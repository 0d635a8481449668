package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every parser the CLI uses answers bad input with one message naming the value and what is allowed. */
class OptionParsingTest {
    @Test
    void rangeParsesSignedAndScientificNumbers() {
        assertEquals(new ValueRange(0, 100), ValueRange.parse("0:100"));
        assertEquals(new ValueRange(-1.5, 1.5), ValueRange.parse("-1.5:1.5"));
        assertEquals(new ValueRange(2e-3, 4e-3), ValueRange.parse(" 2e-3 : 4e-3 "));
    }

    @Test
    void badRangesNameTheTextAndTheForm() {
        for (String bad : new String[] {"5", "1:2:3", "a:b", "5:1", "3:3", "NaN:1", "0:Infinity", ""}) {
            var e = assertThrows(IllegalArgumentException.class, () -> ValueRange.parse(bad), bad);
            assertTrue(e.getMessage().contains("MIN:MAX"), e.getMessage());
            if (!bad.isEmpty()) {
                assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
            }
        }
    }

    @Test
    void fpsMustBePositiveAndBounded() {
        assertEquals(12.5, ViewerOptions.parseFps("12.5"));
        var notNumber = assertThrows(IllegalArgumentException.class, () -> ViewerOptions.parseFps("fast"));
        assertEquals("frame rate 'fast' is not a number; allowed: a number of frames per second above 0 and at most 240"
                + " (default 30)", notNumber.getMessage());
        var zero = assertThrows(IllegalArgumentException.class, () -> ViewerOptions.parseFps("0"));
        assertTrue(zero.getMessage().startsWith("frame rate 0 is out of range; allowed: above 0 and at most 240"));
        assertThrows(IllegalArgumentException.class, () -> ViewerOptions.parseFps("1000"));
        assertEquals(33_333_333, ViewerOptions.defaults().frameIntervalNanos());
    }

    @Test
    void reductionNames() {
        assertEquals(Reduction.MAX, Reduction.parse("MAX"));
        var e = assertThrows(IllegalArgumentException.class, () -> Reduction.parse("median"));
        assertEquals("unknown downsampling 'median'; allowed: mean, max", e.getMessage());
    }

    @Test
    void cadenceIsGenerationsOrATime() {
        assertEquals(Cadence.everyGenerations(10), Cadence.parse("10"));
        assertEquals(Cadence.every(Duration.ofMillis(2500)), Cadence.parse("2.5s"));
        assertEquals(Cadence.every(Duration.ofMillis(250)), Cadence.parse("250ms"));
        assertEquals(Cadence.every(Duration.ofMinutes(1)), Cadence.parse("1m"));
        for (String bad : new String[] {"0", "-3", "2h", "fast", "s", "0.0001ms"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> Cadence.parse(bad), bad);
            assertTrue(e.getMessage().contains("expected N"), e.getMessage());
        }
    }

    @Test
    void imageSize() {
        assertEquals(new ImageSize(1280, 720), ImageSize.parse("1280x720"));
        var e = assertThrows(IllegalArgumentException.class, () -> ImageSize.parse("big"));
        assertEquals("image size 'big': expected WIDTHxHEIGHT in pixels, e.g. 1000x800, each 200..8192", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ImageSize.parse("10x10"));
    }
}
