package dev.heatgrid.viewer;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Reduces a field to one value per block ({@link BlockGrid}) and computes the field's
 * {@link FrameChecksum} in the same pass: each row is copied once into a small buffer that stays
 * in L1, checksummed there, and folded into its block row. Reading straight from the mapping this
 * way costs one pass over the frame instead of a full copy followed by a second pass.
 *
 * <p>NaN cells make their block NaN, so missing data stays visible after downsampling.
 * Not thread-safe: each render thread owns one.
 */
final class BlockReducer {
    private double[] row = new double[0];
    private MemorySegment rowSegment = MemorySegment.ofArray(row);

    /**
     * Fills {@code out} (at least {@code grid.width() * grid.height()} values, row-major with row 0
     * at grid row 0) and returns the checksum of all {@code nx * ny} cells of {@code field}.
     */
    long reduce(MemorySegment field, BlockGrid grid, Reduction reduction, double[] out) {
        int nx = grid.nx();
        int ny = grid.ny();
        int width = grid.width();
        int blockX = grid.blockX();
        int blockY = grid.blockY();
        if (row.length < nx) {
            row = new double[nx];
            rowSegment = MemorySegment.ofArray(row);
        }
        boolean mean = reduction == Reduction.MEAN;
        long checksum = 0;
        for (int oy = 0, y0 = 0; y0 < ny; oy++, y0 += blockY) {
            int y1 = Math.min(ny, y0 + blockY);
            int base = oy * width;
            Arrays.fill(out, base, base + width, mean ? 0.0 : Double.NEGATIVE_INFINITY);
            for (int y = y0; y < y1; y++) {
                long first = (long) y * nx;
                MemorySegment.copy(field, ValueLayout.JAVA_DOUBLE, first * Double.BYTES, row, 0, nx);
                checksum += FrameChecksum.partial(rowSegment, first, nx);
                if (blockX == 1) {
                    foldCells(out, base, nx, mean);
                } else {
                    foldBlocks(out, base, nx, blockX, mean);
                }
            }
            if (mean && (blockX > 1 || blockY > 1)) {
                divide(out, base, width, nx, blockX, y1 - y0);
            }
        }
        return checksum;
    }

    private void foldCells(double[] out, int base, int nx, boolean mean) {
        double[] r = row;
        if (mean) {
            for (int x = 0; x < nx; x++) {
                out[base + x] += r[x];
            }
        } else {
            for (int x = 0; x < nx; x++) {
                out[base + x] = Math.max(out[base + x], r[x]);
            }
        }
    }

    private void foldBlocks(double[] out, int base, int nx, int blockX, boolean mean) {
        double[] r = row;
        for (int ox = 0, x0 = 0; x0 < nx; ox++, x0 += blockX) {
            int x1 = Math.min(nx, x0 + blockX);
            if (mean) {
                double sum = 0;
                for (int x = x0; x < x1; x++) {
                    sum += r[x];
                }
                out[base + ox] += sum;
            } else {
                double max = out[base + ox];
                for (int x = x0; x < x1; x++) {
                    max = Math.max(max, r[x]);
                }
                out[base + ox] = max;
            }
        }
    }

    private static void divide(double[] out, int base, int width, int nx, int blockX, int rows) {
        double full = 1.0 / ((double) blockX * rows);
        for (int ox = 0; ox < width; ox++) {
            int cells = Math.min(blockX, nx - ox * blockX);
            out[base + ox] *= cells == blockX ? full : 1.0 / ((double) cells * rows);
        }
    }
}
