package dev.heatgrid.tiles;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The global {@code nx x ny} grid cut into blocks of {@code fx x fy} nodes (smaller at the east and
 * north ends) for a gathered view reduced by block means, and how one tile's nodes fall into them:
 * a block on a tile border takes nodes from up to four tiles, so tiles hand over partial sums. With
 * 1x1 blocks values are copied, not summed, so nothing changes a node's bits (even -0.0).
 */
record Blocks(int nx, int ny, int fx, int fy) {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    Blocks {
        if (fx < 1 || fy < 1 || fx > nx || fy > ny) {
            throw new IllegalArgumentException("blocks of " + fx + "x" + fy + " nodes do not fit a " + nx + "x" + ny
                    + " grid");
        }
    }

    /** The smallest blocks that bring the grid down to at most {@code maxX x maxY}. */
    static Blocks fitting(int nx, int ny, int maxX, int maxY) {
        return new Blocks(nx, ny, Math.max(1, (nx + maxX - 1) / maxX), Math.max(1, (ny + maxY - 1) / maxY));
    }

    /** Blocks per row of the reduced grid. */
    int width() {
        return (nx + fx - 1) / fx;
    }

    /** Rows of blocks. */
    int height() {
        return (ny + fy - 1) / fy;
    }

    boolean reduces() {
        return fx > 1 || fy > 1;
    }

    /** Nodes in block (bx, by). */
    int count(int bx, int by) {
        return Math.min(fx, nx - bx * fx) * Math.min(fy, ny - by * fy);
    }

    /** The blocks a tile at ({@code ox}, {@code oy}) of {@code w x h} nodes touches: {bx0, by0, width, height}. */
    int[] of(int ox, int oy, int w, int h) {
        int bx0 = ox / fx;
        int by0 = oy / fy;
        return new int[] {bx0, by0, (ox + w - 1) / fx - bx0 + 1, (oy + h - 1) / fy - by0 + 1};
    }

    /** A tile's field reduced to its blocks' partial sums ({@link #of} of them), row by row from the south. */
    double[] partial(MemorySegment field, int ox, int oy, int w, int h) {
        int[] b = of(ox, oy, w, h);
        double[] out = new double[b[2] * b[3]];
        for (int y = 0; y < h; y++) {
            int row = ((oy + y) / fy - b[1]) * b[2];
            long from = (long) y * w;
            if (!reduces()) {
                MemorySegment.copy(field, CELL, from * Double.BYTES, out, row, w);
                continue;
            }
            for (int x = 0; x < w; x++) {
                out[row + (ox + x) / fx - b[0]] += field.getAtIndex(CELL, from + x);
            }
        }
        return out;
    }
}
