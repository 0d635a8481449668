package dev.heatgrid.solver.engine;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The statistics of every row of a frame's fields, recorded by the workers right where they write
 * the rows (a {@link RowScan} after the kernel, or a {@link ScanningStepper} inside it) and
 * combined in row order between passes. Per-row parts make the frame's statistics independent of
 * how rows were split among threads.
 *
 * <p>min, max and the checksum part do not depend on the order the cells are visited in; a sum
 * does, so this class fixes it, and every loop follows it bit for bit (scalar or vector, fused
 * into a kernel or not, on any machine):
 * <pre>
 *   h         = (nx - 2) mod LANES, LANES = 8 (one AVX-512 vector): the interior cells before the first
 *               complete block, so that the blocks end with the row's last interior cell x = nx - 2
 *   lane j    the interior cells x = 1 .. nx-2 with (x - 1 - h) mod LANES = j ({@link #lane})
 *   s_j       = the lane's cells added in increasing x, starting from +0.0
 *   sum       = ((((0.0 + s_0) + s_1) + ... + s_7) + the west edge cell x = 0) + the east edge cell
 *               x = nx - 1 (if nx &gt; 1)
 * </pre>
 * The edge cells come last because the engine overrides them after the kernel (Dirichlet edges):
 * a fused kernel records the interior ({@link #interior}), the engine adds the edges ({@link #edges}).
 * Blocks aligned to the east end let a vector loop take the h head cells from one vector that ends
 * at x = h (its lanes before x = 1 masked off), already in their lanes, instead of a scalar tail.
 * min and max are what {@link Math#min} and {@link Math#max} give (so -0.0 is below +0.0), except
 * that a NaN anywhere in the row makes min, max and sum the canonical {@link Double#NaN}: loops may
 * find NaNs in any order and carry any payload.
 */
public final class RowTotals {
    /** Cells per block of the lane-ordered sum: one AVX-512 vector of doubles. */
    public static final int LANES = 8;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int nx;
    private final int ny;
    private final double[][] min;
    private final double[][] max;
    private final double[][] sum;
    private final long[][] checksum;
    /** Per field, row y's eight lane sums at {@code y * LANES}, as a vector loop left them (the scalar scan adds into them). */
    private final double[][] laneSums;
    /** Per field, row y's min keys, max keys and checksum lanes at {@code y * 3 * LANES} (see {@link #lanesDone}). */
    private final long[][] laneWords;
    /** Per field, row y's lane minima at {@code y * 2 * LANES} and maxima at {@code + LANES}, as doubles (see {@link #boundsDone}). */
    private final double[][] laneBounds;

    public RowTotals(int nx, int ny, int fields) {
        this.nx = nx;
        this.ny = ny;
        this.min = new double[fields][ny];
        this.max = new double[fields][ny];
        this.sum = new double[fields][ny];
        this.checksum = new long[fields][ny];
        this.laneSums = new double[fields][ny * LANES];
        this.laneWords = new long[fields][ny * 3 * LANES];
        this.laneBounds = new double[fields][ny * 2 * LANES];
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int fields() {
        return min.length;
    }

    /** Records the statistics of the interior cells x = 1 .. nx-2 of row {@code y} of field {@code f}. */
    public void interior(int f, int y, double lo, double hi, double total, long check) {
        boolean nan = lo != lo || hi != hi;
        min[f][y] = nan ? Double.NaN : lo;
        max[f][y] = nan ? Double.NaN : hi;
        sum[f][y] = nan || total != total ? Double.NaN : total;
        checksum[f][y] = check;
    }

    /**
     * Where a vector loop stores the lane sums of row {@code y} of field {@code f}: at
     * {@code y * LANES}. Storing the lanes and folding them here, in order, keeps the folding out
     * of the hot method (C2 inlines it no more once the method is large, and would then box the
     * vector it passes).
     */
    public double[] laneSums(int f) {
        return laneSums[f];
    }

    /**
     * Where a vector loop stores row {@code y} of field {@code f}'s order keys of min and max and
     * its checksum lanes: at {@code y * 3 * LANES}, {@code + LANES} and {@code + 2 * LANES}. Order
     * keys: a value's bits with all but the sign bit flipped if it is negative, compared as signed longs.
     */
    public long[] laneWords(int f) {
        return laneWords[f];
    }

    /**
     * Where a vector loop that keeps min and max as doubles (a compare and a blend per vector) stores
     * row {@code y} of field {@code f}'s lane minima: at {@code y * 2 * LANES}, the maxima at
     * {@code + LANES}; {@link #boundsDone} folds them.
     */
    public double[] laneBounds(int f) {
        return laneBounds[f];
    }

    /** The lane of interior cell {@code x} in a row of {@code nx} cells (see the class comment). */
    public static int lane(int x, int nx) {
        return Math.floorMod(x - 1 - headCells(nx), LANES);
    }

    /** Interior cells of a row before its first complete block of LANES (see the class comment). */
    public static int headCells(int nx) {
        return (nx - 2) % LANES;
    }

    /**
     * Records row {@code y}'s interior from the lanes its vector loop stored (see {@link #laneSums},
     * {@link #laneWords}): the lanes folded in order.
     */
    public void lanesDone(int f, int y) {
        long[] words = laneWords[f];
        double[] sums = laneSums[f];
        int at = y * 3 * LANES;
        int sumsAt = y * LANES;
        long lo = words[at];
        long hi = words[at + LANES];
        long check = 0;
        double total = 0.0;
        for (int lane = 0; lane < LANES; lane++) {
            lo = Math.min(lo, words[at + lane]);
            hi = Math.max(hi, words[at + LANES + lane]);
            check += words[at + 2 * LANES + lane];
            total += sums[sumsAt + lane];
        }
        interior(f, y, orderedValue(lo), orderedValue(hi), total, check);
    }

    /**
     * {@link #lanesDone} for a row whose lanes kept min and max as doubles ({@link #laneBounds}). A
     * compare passes a NaN by and cannot tell -0.0 from +0.0, so the bounds are what {@link Math#min}
     * and {@link Math#max} give only if no cell is NaN and, unless the caller knows that no cell is
     * -0.0, neither bound is zero. A row with a NaN has a NaN lane sum (and so does one with
     * infinities of both signs). Where that is not known, nothing is recorded and the answer is
     * false: the caller then scans the row with {@link RowScan#scalar()}.
     *
     * @param negativeZeros whether a cell of the row may be -0.0
     * @return whether row {@code y}'s interior is recorded
     */
    public boolean boundsDone(int f, int y, boolean negativeZeros) {
        double[] bounds = laneBounds[f];
        long[] words = laneWords[f];
        double[] sums = laneSums[f];
        int at = y * 2 * LANES;
        int checkAt = y * 3 * LANES + 2 * LANES;
        int sumsAt = y * LANES;
        double lo = bounds[at];
        double hi = bounds[at + LANES];
        long check = 0;
        double total = 0.0;
        for (int lane = 0; lane < LANES; lane++) {
            double l = bounds[at + lane];
            double h = bounds[at + LANES + lane];
            lo = l < lo ? l : lo; // not Math.min: no NaN or -0.0 question is left for it to answer (below)
            hi = h > hi ? h : hi;
            check += words[checkAt + lane];
            total += sums[sumsAt + lane];
        }
        if (total != total || negativeZeros && (lo == 0.0 || hi == 0.0)) {
            return false;
        }
        interior(f, y, lo, hi, total, check);
        return true;
    }

    /** The order key of a value's bits (see {@link #laneWords}); the mapping is its own inverse. */
    public static long orderKey(long bits) {
        return bits ^ (bits >> 63) >>> 1;
    }

    private static double orderedValue(long key) {
        return Double.longBitsToDouble(orderKey(key));
    }

    /**
     * Completes row {@code y} of field {@code f} with its edge cells as they are now in {@code field}
     * (after the engine's overrides); the interior must have been recorded first.
     */
    public void edges(int f, int y, MemorySegment field) {
        edges(f, y, y + 1, field);
    }

    /**
     * {@link #edges(int, int, MemorySegment)} for rows {@code y0..y1-1}, in one loop: at 128² a call
     * per row, with its array lookups and the caller's questions about the row, took 8.3 % of a
     * step's samples, this loop 4.1 % (docs/BENCHMARKS.md, "Fourth round").
     */
    public void edges(int f, int y0, int y1, MemorySegment field) {
        double[] mins = min[f];
        double[] maxs = max[f];
        double[] sums = sum[f];
        long[] checks = checksum[f];
        for (int y = y0; y < y1; y++) {
            long first = (long) y * nx;
            long westBits = field.get(WORD, first * Double.BYTES);
            double w = Double.longBitsToDouble(westBits);
            double lo = Math.min(mins[y], w);
            double hi = Math.max(maxs[y], w);
            double total = sums[y] + w;
            long check = checks[y] + (westBits ^ first * FrameChecksum.MIX);
            if (nx > 1) {
                long eastBits = field.get(WORD, (first + nx - 1) * Double.BYTES);
                double e = Double.longBitsToDouble(eastBits);
                lo = Math.min(lo, e);
                hi = Math.max(hi, e);
                total += e;
                check += eastBits ^ (first + nx - 1) * FrameChecksum.MIX;
            }
            interior(f, y, lo, hi, total, check);
        }
    }

    public double min(int f, int y) {
        return min[f][y];
    }

    public double max(int f, int y) {
        return max[f][y];
    }

    public double sum(int f, int y) {
        return sum[f][y];
    }

    public long checksum(int f, int y) {
        return checksum[f][y];
    }
}
