package dev.heatgrid.viewer;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reduces a field to one value per block ({@link BlockGrid}) and computes the field's
 * {@link FrameChecksum} in the same pass: each row is copied once into a buffer that stays in L1,
 * checksummed there, and added (or max-ed) column by column into a row accumulator; once per block
 * row the accumulator is folded across into blocks. The per-cell work is thus a plain array loop
 * that the JIT vectorizes, and only one row in {@code blockY} pays for the scalar fold. Reading
 * straight from the mapping this way costs one pass over the frame instead of a full copy
 * followed by a second pass.
 *
 * <p>NaN cells make their block NaN, so missing data stays visible after downsampling.
 * Not thread-safe: each render thread owns one.
 */
final class BlockReducer {
    private double[] row = new double[0];
    private double[] columns = new double[0];
    private MemorySegment rowSegment = MemorySegment.ofArray(row);
    private MemorySegment columnSegment = MemorySegment.ofArray(columns);

    /**
     * Fills {@code out} (at least {@code grid.width() * grid.height()} values, row-major with row 0
     * at grid row 0) and returns the checksum of all {@code nx * ny} cells of {@code field}.
     */
    long reduce(MemorySegment field, BlockGrid grid, Reduction reduction, double[] out) {
        int nx = grid.nx();
        int ny = grid.ny();
        int blockY = grid.blockY();
        if (row.length < nx) {
            row = new double[nx];
            columns = new double[nx];
            rowSegment = MemorySegment.ofArray(row);
            columnSegment = MemorySegment.ofArray(columns);
        }
        boolean mean = reduction == Reduction.MEAN;
        long checksum = 0;
        for (int oy = 0, y0 = 0; y0 < ny; oy++, y0 += blockY) {
            int y1 = Math.min(ny, y0 + blockY);
            // The block row's first grid row lands in the accumulator itself; the others are folded in.
            checksum += copyRow(field, y0, nx, columns, columnSegment);
            for (int y = y0 + 1; y < y1; y++) {
                checksum += copyRow(field, y, nx, row, rowSegment);
                if (mean) {
                    addColumns(nx);
                } else {
                    maxColumns(nx);
                }
            }
            foldAcross(grid, oy * grid.width(), y1 - y0, mean, out);
        }
        return checksum;
    }

    /** Copies grid row {@code y} into {@code into} and returns the row's share of the checksum. */
    private static long copyRow(MemorySegment field, int y, int nx, double[] into, MemorySegment intoSegment) {
        long first = (long) y * nx;
        MemorySegment.copy(field, ValueLayout.JAVA_DOUBLE, first * Double.BYTES, into, 0, nx);
        return FrameChecksum.partial(intoSegment, first, nx);
    }

    private void addColumns(int nx) {
        double[] acc = columns;
        double[] r = row;
        for (int x = 0; x < nx; x++) {
            acc[x] += r[x];
        }
    }

    private void maxColumns(int nx) {
        double[] acc = columns;
        double[] r = row;
        for (int x = 0; x < nx; x++) {
            acc[x] = Math.max(acc[x], r[x]);
        }
    }

    /** Folds the column accumulator into the block row starting at {@code out[base]}. */
    private void foldAcross(BlockGrid grid, int base, int rows, boolean mean, double[] out) {
        double[] acc = columns;
        int nx = grid.nx();
        int blockX = grid.blockX();
        if (blockX == 1) {
            double scale = 1.0 / rows;
            for (int x = 0; x < nx; x++) {
                out[base + x] = mean ? acc[x] * scale : acc[x];
            }
            return;
        }
        int ox = 0;
        int x0 = 0;
        if (blockX == 2) {
            // The usual case (a grid up to twice the picture): no inner loop, and for the mean a multiply
            // by 1 / (2 * rows), a power of two when rows is, where the division gives the same bits.
            // Measured 1.8 -> 0.8 ms for a 1024² field into 512² blocks (docs/BENCHMARKS.md, "Browsers").
            int pairs = nx / 2;
            double divisor = 2.0 * rows;
            if (!mean) {
                for (; ox < pairs; ox++, x0 += 2) {
                    out[base + ox] = Math.max(acc[x0], acc[x0 + 1]);
                }
            } else if (Integer.bitCount(2 * rows) == 1) {
                double scale = 1 / divisor;
                for (; ox < pairs; ox++, x0 += 2) {
                    out[base + ox] = (acc[x0] + acc[x0 + 1]) * scale;
                }
            } else {
                for (; ox < pairs; ox++, x0 += 2) {
                    out[base + ox] = (acc[x0] + acc[x0 + 1]) / divisor;
                }
            }
        }
        for (; x0 < nx; ox++, x0 += blockX) {
            int x1 = Math.min(nx, x0 + blockX);
            double v = acc[x0];
            if (mean) {
                for (int x = x0 + 1; x < x1; x++) {
                    v += acc[x];
                }
                v /= (double) (x1 - x0) * rows;
            } else {
                for (int x = x0 + 1; x < x1; x++) {
                    v = Math.max(v, acc[x]);
                }
            }
            out[base + ox] = v;
        }
    }
}
