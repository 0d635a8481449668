package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ColorMapTest {
    @Test
    void tablesAreThePublishedOnes() {
        // First and last entries of matplotlib's tables, scaled to 8 bits.
        assertEquals(rgb(0.001462, 0.000466, 0.013866), ColorMap.INFERNO.bottomArgb());
        assertEquals(rgb(0.988362, 0.998364, 0.644924), ColorMap.INFERNO.topArgb());
        assertEquals(rgb(0.267004, 0.004874, 0.329415), ColorMap.VIRIDIS.bottomArgb());
        assertEquals(rgb(0.993248, 0.906157, 0.143936), ColorMap.VIRIDIS.topArgb());
        assertEquals(0xFF000000, ColorMap.GRAYSCALE.bottomArgb());
        assertEquals(0xFFFFFFFF, ColorMap.GRAYSCALE.topArgb());
    }

    @Test
    void sequentialMapsRiseSteadilyInLightness() {
        for (ColorMap map : new ColorMap[] {ColorMap.INFERNO, ColorMap.VIRIDIS, ColorMap.GRAYSCALE}) {
            double total = lightness(map.topArgb()) - lightness(map.bottomArgb());
            assertTrue(total > 60, map + " spans " + total + " L*");
            double previous = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < ColorMap.SIZE; i++) {
                double l = lightness(map.entry(i));
                // 8-bit rounding may dent the curve by a fraction of a unit, never more.
                assertTrue(l > previous - 0.3, map + ": lightness falls at entry " + i);
                previous = Math.max(previous, l);
            }
            // Perceptually uniform: every sixteenth of the map rises by about the same lightness (the maps
            // are uniform in CAM02-UCS, whose lightness departs from CIE L* near black: hence the slack).
            double even = total / 15;
            for (int i = 0; i + 17 <= ColorMap.SIZE; i += 17) {
                double rise = lightness(map.entry(i + 17)) - lightness(map.entry(i));
                assertTrue(rise > 0.5 * even && rise < 1.5 * even, map + ": uneven lightness from entry " + i);
            }
        }
    }

    @Test
    void divergingMapIsLightInTheMiddleAndDarkerAtBothEnds() {
        double middle = lightness(ColorMap.COOLWARM.argb(0.5));
        assertTrue(middle > lightness(ColorMap.COOLWARM.bottomArgb()) + 20);
        assertTrue(middle > lightness(ColorMap.COOLWARM.topArgb()) + 20);
        int low = ColorMap.COOLWARM.bottomArgb();
        int high = ColorMap.COOLWARM.topArgb();
        assertTrue((low & 0xFF) > (low >> 16 & 0xFF), "low end is blue");
        assertTrue((high >> 16 & 0xFF) > (high & 0xFF), "high end is red");
    }

    @Test
    void nanHasItsOwnColourAndValuesClampToTheEnds() {
        for (ColorMap map : ColorMap.values()) {
            assertEquals(ColorMap.NAN_ARGB, map.argb(Double.NaN));
            assertEquals(map.bottomArgb(), map.argb(-3));
            assertEquals(map.topArgb(), map.argb(7));
            for (int i = 0; i < ColorMap.SIZE; i++) {
                assertTrue(map.entry(i) != ColorMap.NAN_ARGB, map + " must not contain the NaN colour");
            }
        }
    }

    @Test
    void parsesNamesAndListsTheAllowedOnes() {
        assertEquals(ColorMap.VIRIDIS, ColorMap.parse("Viridis"));
        assertEquals(ColorMap.GRAYSCALE, ColorMap.parse("grey"));
        assertEquals(ColorMap.COOLWARM, ColorMap.parse(" coolwarm "));
        var e = assertThrows(IllegalArgumentException.class, () -> ColorMap.parse("jet"));
        assertEquals("unknown colour map 'jet'; allowed: inferno, viridis, grayscale, coolwarm", e.getMessage());
    }

    private static int rgb(double r, double g, double b) {
        return 0xFF000000 | (int) Math.round(r * 255) << 16 | (int) Math.round(g * 255) << 8 | (int) Math.round(b * 255);
    }

    /** CIE L* of an sRGB colour. */
    static double lightness(int argb) {
        double y = 0.2126 * linear(argb >> 16 & 0xFF) + 0.7152 * linear(argb >> 8 & 0xFF) + 0.0722 * linear(argb & 0xFF);
        return y > 216.0 / 24389 ? 116 * Math.cbrt(y) - 16 : y * 24389.0 / 27;
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
