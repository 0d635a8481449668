package dev.heatgrid.web;

import java.util.Arrays;

/**
 * The layout of a frame message's codes (the page's {@code decodeRows} in app.js mirrors
 * {@link #decode}): 16-bit codes, image rows from the top down, each sent as its difference from a
 * prediction, and each row's differences packed in the narrowest of a few symbol widths:
 *
 * <pre>
 * per row    1 byte     w, the symbol width in bits: 2, 4, 8 or 16
 *            symbols    one w-bit symbol per code, left to right; symbol x in bits (x * w) mod 8 and
 *                       up of byte (x * w) / 8, counting bits from the lowest: ceil(width * w / 8)
 *                       bytes, unused bits 0 (w = 16: two bytes each, little-endian)
 *            escapes    w < 16: for each escape symbol in the row, in order, d as two bytes,
 *                       little-endian
 * symbol     w = 16: the difference d = (code - prediction) mod 2^16 itself
 *            w < 16: s = zigzag(d read as a signed 16-bit number): 0, -1, 1, -2, ... -> 0, 1, 2, 3, ...;
 *            s itself if s < 2^w - 1, else the escape 2^w - 1 (d follows the symbols)
 * prediction left + up - up-left, 0 outside the image, mod 2^16
 * </pre>
 *
 * On a smooth field most differences are a few codes, so rows go out at 2 or 4 bits a code; a rough
 * one at 8; noise at 16, never more. The symbols sit at fixed places and the rare large differences
 * apart, so a decoder finds symbol x without reading the ones before it (the page's loop ran about 2x faster
 * than with the escapes inline). Unlike deflate (which cost the server ~10 ms a 512² frame and the page
 * a decompression stream) it is one pass each way, under 1 ms on the server; it sends 1.0-1.3x the bytes
 * of deflate level 1 on the benchmark's fields (docs/BENCHMARKS.md, "Browsers"). Not thread-safe: the
 * feed's thread owns it.
 */
final class CodeRows {
    /** The widths a row may use, narrowest first (what {@link #decode} accepts). */
    private static final int[] WIDTHS = {2, 4, 8, 16};

    private int[] symbols = new int[0];
    private byte[] out = new byte[0];

    /** Most bytes {@link #encode} writes for a {@code width × height} image. */
    static int maxBytes(int width, int height) {
        return height * (1 + 2 * width);
    }

    /**
     * Packs {@code codes} ({@code width × height}, image rows from the top) into {@link #bytes()};
     * returns how many bytes it wrote there.
     */
    int encode(int[] codes, int width, int height) {
        if (symbols.length < width) {
            symbols = new int[width];
        }
        int bound = maxBytes(width, height);
        if (out.length < bound) {
            out = new byte[bound];
        }
        int at = 0;
        for (int row = 0; row < height; row++) {
            int first = row * width;
            // Differences, zigzagged, counted by the widths they fit. The first row and column have
            // no neighbour above or to the left; they are predicted from the one neighbour they have.
            symbols[0] = zigzag(codes[first] - (row > 0 ? codes[first - width] : 0));
            if (row == 0) {
                for (int x = 1; x < width; x++) {
                    symbols[x] = zigzag(codes[x] - codes[x - 1]);
                }
            } else {
                for (int x = 1, i = first + 1; x < width; x++, i++) {
                    symbols[x] = zigzag(codes[i] - (codes[i - 1] + codes[i - width] - codes[i - width - 1]));
                }
            }
            int under3 = 0;
            int under15 = 0;
            int under255 = 0;
            for (int x = 0; x < width; x++) {
                int symbol = symbols[x]; // 0 .. 65535: symbol - k is negative, its top bit set, just when symbol < k
                under3 += (symbol - 3) >>> 31;
                under15 += (symbol - 15) >>> 31;
                under255 += (symbol - 255) >>> 31;
            }
            int w = narrowest(width, under3, under15, under255);
            out[at++] = (byte) w;
            at = pack(width, w, at);
        }
        return at;
    }

    /** A difference mod 2^16, read as signed 16 bits, zigzagged: 0, -1, 1, -2 ... -> 0, 1, 2, 3 ... */
    private static int zigzag(int difference) {
        int signed = (short) difference;
        return (signed << 1) ^ (signed >> 31);
    }

    /** The buffer {@link #encode} wrote to; reused by the next call. */
    byte[] bytes() {
        return out;
    }

    /** The width whose row is shortest: w bits a code plus 16 more for each code that needs an escape. */
    private static int narrowest(int width, int under3, int under15, int under255) {
        long best = 16L * width;
        int chosen = 16;
        long two = 2L * width + 16L * (width - under3);
        long four = 4L * width + 16L * (width - under15);
        long eight = 8L * width + 16L * (width - under255);
        if (two < best) { // on a tie the narrower width stays
            best = two;
            chosen = 2;
        }
        if (four < best) {
            best = four;
            chosen = 4;
        }
        if (eight < best) {
            chosen = 8;
        }
        return chosen;
    }

    /**
     * Writes one row's symbols, w bits each from the lowest bit of each byte up, then the differences
     * of the escaped ones.
     */
    private int pack(int width, int w, int at) {
        int escape = w == 16 ? Integer.MAX_VALUE : (1 << w) - 1;
        int escapes = 0;
        int word = 0;
        int bits = 0;
        for (int x = 0; x < width; x++) {
            int symbol = symbols[x];
            if (symbol >= escape) {
                symbols[escapes++] = symbol; // behind x: that slot is read already
                symbol = escape;
            }
            word |= (w == 16 ? unzigzag(symbol) : symbol) << bits;
            bits += w;
            while (bits >= 8) {
                out[at++] = (byte) word;
                word >>>= 8;
                bits -= 8;
            }
        }
        if (bits > 0) {
            out[at++] = (byte) word;
        }
        for (int e = 0; e < escapes; e++) {
            int d = unzigzag(symbols[e]);
            out[at++] = (byte) d;
            out[at++] = (byte) (d >>> 8);
        }
        return at;
    }

    /** The difference's 16 bits back from its zigzag. */
    private static int unzigzag(int symbol) {
        return ((symbol >>> 1) ^ -(symbol & 1)) & 0xFFFF;
    }

    /**
     * The codes back from {@code bytes[offset..]} (the rest of a message), image rows from the top;
     * what the page does.
     *
     * @throws IllegalArgumentException the bytes end early or go on after the last row, or name a
     *                                  width there is none of
     */
    static int[] decode(byte[] bytes, int offset, int width, int height) {
        int[] codes = new int[width * height];
        int at = offset;
        try {
            for (int row = 0, i = 0; row < height; row++) {
                int w = bytes[at++];
                if (Arrays.stream(WIDTHS).noneMatch(k -> k == w)) {
                    throw new IllegalArgumentException("row " + row + " has symbol width " + w);
                }
                int escape = (1 << w) - 1;
                int escaped = at + (width * w + 7) / 8; // the escaped differences follow the symbols
                for (int x = 0; x < width; x++, i++) {
                    int d;
                    if (w == 16) {
                        d = (bytes[at + 2 * x] & 0xFF) | (bytes[at + 2 * x + 1] & 0xFF) << 8;
                    } else {
                        int bit = x * w;
                        int s = (bytes[at + bit / 8] & 0xFF) >>> (bit % 8) & escape;
                        if (s == escape) {
                            d = (bytes[escaped] & 0xFF) | (bytes[escaped + 1] & 0xFF) << 8;
                            escaped += 2;
                        } else {
                            d = (s >>> 1) ^ -(s & 1);
                        }
                    }
                    int left = x > 0 ? codes[i - 1] : 0;
                    int up = row > 0 ? codes[i - width] : 0;
                    int upLeft = x > 0 && row > 0 ? codes[i - width - 1] : 0;
                    codes[i] = (d + left + up - upLeft) & 0xFFFF;
                }
                at = w == 16 ? at + 2 * width : escaped;
            }
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("the codes end early, at byte " + at);
        }
        if (at != bytes.length) {
            throw new IllegalArgumentException((bytes.length - at) + " bytes follow the last row");
        }
        return codes;
    }
}
