package dev.heatgrid.tiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A gathered frame being assembled: per field and block, the sum of the partial sums the tiles
 * handed over ({@link Blocks#partial}); divided by each block's node count at the end.
 */
final class BlockSums {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Blocks blocks;
    private final double[][] sums;

    BlockSums(Blocks blocks, int fields) {
        this.blocks = blocks;
        this.sums = new double[fields][Math.multiplyExact(blocks.width(), blocks.height())];
    }

    Blocks blocks() {
        return blocks;
    }

    int fieldCount() {
        return sums.length;
    }

    void clear() {
        for (double[] s : sums) {
            Arrays.fill(s, 0);
        }
    }

    /** Adds a tile's partial sums of field {@code f} for blocks {bx0, by0, width, height}. */
    void add(int f, int[] range, double[] partial) {
        add(f, range, partial, 0, range[3]);
    }

    /** Adds rows {@code firstRow .. firstRow + rows - 1} of a tile's partial sums (the rest comes separately). */
    void add(int f, int[] range, double[] partialRows, int firstRow, int rows) {
        double[] s = sums[f];
        int gx = blocks.width();
        for (int y = 0; y < rows; y++) {
            int to = (range[1] + firstRow + y) * gx + range[0];
            int from = y * range[2];
            if (!blocks.reduces()) {
                System.arraycopy(partialRows, from, s, to, range[2]);
            } else {
                for (int x = 0; x < range[2]; x++) {
                    s[to + x] += partialRows[from + x];
                }
            }
        }
    }

    /** Writes the block means of field {@code f} into {@code into}, {@code width x height} nodes. */
    void means(int f, MemorySegment into) {
        double[] s = sums[f];
        int gx = blocks.width();
        for (int by = 0; by < blocks.height(); by++) {
            for (int bx = 0; bx < gx; bx++) {
                double v = s[by * gx + bx];
                into.setAtIndex(CELL, (long) by * gx + bx, blocks.reduces() ? v / blocks.count(bx, by) : v);
            }
        }
    }
}
