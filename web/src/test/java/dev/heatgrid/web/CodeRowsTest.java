package dev.heatgrid.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Every code comes back exactly, whatever width each row packs in, escapes and padding included. */
class CodeRowsTest {
    private final CodeRows rows = new CodeRows();

    private byte[] encode(int[] codes, int width, int height) {
        int length = rows.encode(codes, width, height);
        return Arrays.copyOf(rows.bytes(), length);
    }

    private void assertRoundTrip(int[] codes, int width, int height) {
        byte[] bytes = encode(codes, width, height);
        assertArrayEquals(codes, CodeRows.decode(bytes, 0, width, height), width + " x " + height);
    }

    /** Each row's symbol width, walking the rows by their lengths. */
    private static int[] widths(byte[] bytes, int width, int height) {
        int[] widths = new int[height];
        for (int row = 0, at = 0; row < height; row++) {
            widths[row] = bytes[at];
            at += rowLength(bytes, at, width, widths[row]);
        }
        return widths;
    }

    /** Bytes of the row starting at {@code bytes[at]}, its width byte included: the symbols, then 2 per escape. */
    private static int rowLength(byte[] bytes, int at, int width, int w) {
        if (w == 16) {
            return 1 + 2 * width;
        }
        int escape = (1 << w) - 1;
        int escapes = 0;
        for (int x = 0; x < width; x++) {
            int bit = x * w;
            escapes += ((bytes[at + 1 + bit / 8] & 0xFF) >>> (bit % 8) & escape) == escape ? 1 : 0;
        }
        return 1 + (width * w + 7) / 8 + 2 * escapes;
    }

    @Test
    void eachRowTakesTheNarrowestWidthThatFitsItsDifferences() {
        int width = 37; // odd: rows end inside a byte
        int height = 4;
        int[] codes = new int[width * height];
        for (int x = 0; x < width; x++) {
            codes[x] = 1000;                                 // row 0: one jump from the edge, then flat: 2 bits
            codes[width + x] = 1000 + (x % 2) * 5;           // row 1: differences up to +-10 after prediction: 4 bits
            codes[2 * width + x] = 1000 + (x % 2) * 60;      // row 2: up to +-120: 8 bits
            codes[3 * width + x] = (x * 40_503) & 0xFFFF;    // row 3: noise: 16 bits
        }
        byte[] bytes = encode(codes, width, height);
        assertArrayEquals(new int[] {2, 4, 8, 16}, widths(bytes, width, height));
        assertArrayEquals(codes, CodeRows.decode(bytes, 0, width, height));
    }

    @Test
    void escapesCarryLargeJumpsInNarrowRows() {
        int width = 50;
        int[] codes = new int[width * 3];
        Arrays.fill(codes, 30_000);
        codes[width + 7] = 65_535;  // NaN in a flat field: a jump of +35535, then back
        codes[width + 8] = 0;       // the largest fall
        codes[2 * width + 49] = 65_534; // a jump at the end of the last row
        byte[] bytes = encode(codes, width, 3);
        assertEquals(2, bytes[0], "flat rows stay at 2 bits despite a few escapes");
        assertArrayEquals(codes, CodeRows.decode(bytes, 0, width, 3));
        assertTrue(bytes.length < width * 3, bytes.length + " bytes");
    }

    @Test
    void randomImagesOfEverySmallShapeRoundTrip() {
        var random = new SplittableRandom(16);
        for (int width = 1; width <= 9; width++) {
            for (int height = 1; height <= 4; height++) {
                for (int spread : new int[] {0, 1, 3, 20, 200, 70_000}) {
                    int[] codes = new int[width * height];
                    int level = random.nextInt(65_536);
                    for (int i = 0; i < codes.length; i++) {
                        int v = spread == 0 ? level : level + random.nextInt(-spread, spread + 1);
                        codes[i] = Math.floorMod(v, 65_536);
                    }
                    assertRoundTrip(codes, width, height);
                }
            }
        }
    }

    @Test
    void aLargeSmoothImageTakesAQuarterOfItsRawSizeOrLess() {
        int n = 512;
        int[] codes = new int[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                codes[y * n + x] = (int) Math.round(65_534 * Math.exp(-((x - 256.0) * (x - 256.0) + (y - 200.0)
                        * (y - 200.0)) / 20_000));
            }
        }
        byte[] bytes = encode(codes, n, n);
        assertArrayEquals(codes, CodeRows.decode(bytes, 0, n, n));
        assertTrue(bytes.length < n * n * 2 / 4, bytes.length + " bytes for " + n * n * 2 + " raw");
    }

    @Test
    void truncatedOrOverlongCodesAreRefused() {
        int[] codes = {1, 2, 3, 4, 5, 6};
        byte[] bytes = encode(codes, 3, 2);
        var shortBy = assertThrows(IllegalArgumentException.class,
                () -> CodeRows.decode(Arrays.copyOf(bytes, bytes.length - 1), 0, 3, 2));
        assertTrue(shortBy.getMessage().contains("end early"), shortBy.getMessage());
        var longBy = assertThrows(IllegalArgumentException.class,
                () -> CodeRows.decode(Arrays.copyOf(bytes, bytes.length + 2), 0, 3, 2));
        assertTrue(longBy.getMessage().contains("2 bytes follow"), longBy.getMessage());
        byte[] badWidth = bytes.clone();
        badWidth[0] = 5;
        var width = assertThrows(IllegalArgumentException.class, () -> CodeRows.decode(badWidth, 0, 3, 2));
        assertTrue(width.getMessage().contains("symbol width 5"), width.getMessage());
    }
}
