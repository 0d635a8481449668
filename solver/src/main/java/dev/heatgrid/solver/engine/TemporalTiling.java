package dev.heatgrid.solver.engine;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The order in which to compute k steps ("levels") of a stencil that reaches r rows, so that a
 * block of rows goes through all k levels while it is in cache instead of the whole grid going
 * through one level at a time (temporal blocking). The values are those of stepping one level at a
 * time, bit for bit: every row of every level is computed once, from the same rows of the level
 * before, only in another order. Two frames hold all levels, alternately (levels t and t + 2 share
 * one), the first level reads a third that is never written.
 *
 * <p>Two passes. In the first each worker takes its band of rows [a, b) and computes a trapezoid:
 * level t covers [a + rt, b - rt), shrinking by r rows per level at an edge the band shares with
 * another band (a seam; with periodic rows the grid's two ends are one more seam), and not at the
 * grid's own edges. The band never reads a row another worker writes, so the first pass needs no
 * synchronisation. Inside the band it sweeps skewed blocks of rows:
 * <pre>
 *   for block j = 0, 1, ...:  for level t = 1 .. k:  rows [a + jH - rt, a + (j+1)H - rt) of the trapezoid
 * </pre>
 * Level t of block j reads level t-1 rows up to a + (j+1)H - r(t-1), which blocks 0..j have
 * computed, and from a + jH - r(t+1), which level t+1 of blocks 0..j-1 (in the same frame as level
 * t-1) has not yet overwritten. After the barrier the second pass fills each seam s: level t covers
 * [s - rt, s + rt), the rows both trapezoids left out; it reads level t-1 rows s - rt - r and
 * s + rt + r - 1 at most, which the trapezoids computed and their level t+1 did not reach.
 *
 * <p>What the last level holds is reported once per row, in pieces of whole grains (G rows from
 * a multiple of G; the last piece may end at ny), as soon as it is final, so that a caller can read
 * it back while it is still in cache: in the first pass each band reports the grains inside its
 * trapezoid's last level [lo, hi), from ceil_G(lo) to floor_G(hi), in order as its blocks finish
 * them; a third pass ({@link #rest}) reports the grains the bands left, around the seams, once
 * the seams are filled. A band reports only its own rows, which no other worker writes.
 *
 * <p>The passes are {@link Work}s for a {@link StepEngine}; the seams are where its bands meet
 * ({@link StepEngine#bandStart}).
 */
public final class TemporalTiling {
    /** What computing rows means: the caller advances rows {@code first..end-1} to {@code level} (1..k). */
    public interface Rows {
        void advance(int level, int first, int end);

        /** Rows {@code first..end-1} of the last level are final: whole grains, each row reported once. */
        void finished(int first, int end);
    }

    private final int ny;
    private final int threads;
    private final int radius;
    private final int levels;
    private final int blockRows;
    private final boolean periodic;
    private final int grain;
    /** The pieces the bands do not report, [leftByBands[2i], leftByBands[2i + 1]): the third pass's lines. */
    private final int[] leftByBands;

    /**
     * @param ny        rows of the grid
     * @param threads   workers of the engine that will run the passes
     * @param radius    rows a step reaches (r)
     * @param levels    steps to fuse (k)
     * @param blockRows rows per block of the sweep (H); any H &gt;= 1 is correct, the cache decides
     * @param periodic  whether row 0 and row ny - 1 are neighbours
     * @param grain     rows reported {@link Rows#finished} together (G)
     */
    public TemporalTiling(int ny, int threads, int radius, int levels, int blockRows, boolean periodic, int grain) {
        if (!fits(ny, threads, radius, levels)) {
            throw new IllegalArgumentException(ny + " rows in " + threads + " bands are too few for " + levels
                    + " levels of radius " + radius);
        }
        if (blockRows < 1) {
            throw new IllegalArgumentException("blockRows is " + blockRows);
        }
        if (grain < 1) {
            throw new IllegalArgumentException("grain is " + grain);
        }
        this.ny = ny;
        this.threads = threads;
        this.radius = radius;
        this.levels = levels;
        this.blockRows = blockRows;
        this.periodic = periodic;
        this.grain = grain;
        this.leftByBands = leftByBands();
    }

    /**
     * Whether every band is tall enough: 2r(k+1) rows keep a trapezoid non-empty at level k, seams
     * apart from each other, and the rows a seam reads out of the trapezoids' reach.
     */
    public static boolean fits(int ny, int threads, int radius, int levels) {
        return radius >= 1 && levels >= 1 && threads >= 1 && ny / threads >= 2L * radius * (levels + 1);
    }

    /**
     * Cache to plan blocks for: half the L2 cache of cpu0 as Linux reports it
     * (/sys/devices/system/cpu/cpu0/cache/index2/size), 1 MiB where it does not.
     */
    public static long cacheBudget() {
        return CACHE_BUDGET;
    }

    private static final long CACHE_BUDGET = readL2() / 2;

    private static long readL2() {
        try {
            String text = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/devices/system/cpu/cpu0/cache/index2/size"))
                    .trim().toUpperCase(java.util.Locale.ROOT);
            long unit = text.endsWith("K") ? 1 << 10 : text.endsWith("M") ? 1 << 20 : 1;
            long value = Long.parseLong(text.replaceAll("[KM]$", ""));
            return value * unit > 0 ? value * unit : 2L << 20;
        } catch (java.io.IOException | RuntimeException e) {
            return 2L << 20;
        }
    }

    /** Rows per block so that the rows one block spans over all levels, in both frames, fit {@code cacheBytes}. */
    public static int blockRows(long rowBytes, int radius, int levels, long cacheBytes) {
        long rows = cacheBytes / Math.max(1, 2 * rowBytes) - (long) radius * (levels + 2);
        return (int) Math.max(4, Math.min(rows, 1 << 16));
    }

    /** Seams: one between neighbouring bands, one more across the grid's ends when rows are periodic. */
    public int seams() {
        return threads - 1 + (periodic ? 1 : 0);
    }

    /** Pieces of the last level the bands leave to {@link #rest}: 0 where the bands report every row. */
    public int rests() {
        return leftByBands.length / 2;
    }

    /** The first pass: every worker's trapezoid, band by band as {@link StepEngine} splits ny lines. */
    public Work bands(Rows rows) {
        return new Work() {
            @Override
            public int lines() {
                return ny;
            }

            @Override
            public void run(int worker, int first, int end) {
                trapezoid(rows, first, end);
            }
        };
    }

    /** The second pass: the seams, split among the workers. Run it only if {@link #seams()} &gt; 0. */
    public Work seams(Rows rows) {
        return eachLine(seams(), seam -> fillSeam(rows, seam));
    }

    /**
     * The third pass: the pieces of the last level the bands did not report, split among the
     * workers. Run it after the seams, and only if {@link #rests()} &gt; 0. (The engine's barrier
     * between passes is what makes the other workers' rows of a piece visible to the one reading it.)
     */
    public Work rest(Rows rows) {
        return eachLine(rests(), piece -> rows.finished(leftByBands[2 * piece], leftByBands[2 * piece + 1]));
    }

    /** A pass of {@code lines} independent lines (seams, pieces), each worker doing its share one by one. */
    private static Work eachLine(int lines, IntConsumer line) {
        return new Work() {
            @Override
            public int lines() {
                return lines;
            }

            @Override
            public void run(int worker, int first, int end) {
                for (int i = first; i < end; i++) {
                    line.accept(i);
                }
            }
        };
    }

    private void trapezoid(Rows rows, int a, int b) {
        int lowShrink = lowShrink(a);
        int highShrink = highShrink(b);
        int reported = firstReported(a); // the band reports its last level from here ...
        int last = endReported(b); // ... up to here (the rest pass has the grains around)
        for (int j = 0; a + (long) j * blockRows - (long) radius * levels < b; j++) {
            int start = a + j * blockRows;
            for (int t = 1; t <= levels; t++) {
                int from = Math.max(a + lowShrink * t, start - radius * t);
                int to = Math.min(b - highShrink * t, start + blockRows - radius * t);
                if (from < to) {
                    rows.advance(t, from, to);
                    int done = Math.min(last, floorGrain(to)); // the last level goes up from lo in order
                    if (t == levels && done > reported) {
                        rows.finished(reported, done);
                        reported = done;
                    }
                }
            }
        }
    }

    private int lowShrink(int a) {
        return a > 0 || periodic ? radius : 0;
    }

    private int highShrink(int b) {
        return b < ny || periodic ? radius : 0;
    }

    /** Where the band from row {@code a} starts reporting its last level: the first grain inside its trapezoid. */
    private int firstReported(int a) {
        return ceilGrain(a + lowShrink(a) * levels);
    }

    /** Where the band up to row {@code b} stops reporting its last level: the last grain boundary inside its trapezoid. */
    private int endReported(int b) {
        return floorGrain(b - highShrink(b) * levels);
    }

    /** The first grain boundary at or above {@code y}; ny counts as one. */
    private int ceilGrain(int y) {
        return Math.min(ny, (y + grain - 1) / grain * grain);
    }

    /** The last grain boundary at or below {@code y}; ny counts as one. */
    private int floorGrain(int y) {
        return y >= ny ? ny : y / grain * grain;
    }

    /** What the bands' trapezoids leave of [0, ny) in the last level, as {@link #rest} pieces. */
    private int[] leftByBands() {
        int[] pieces = new int[2 * (threads + 1)];
        int n = 0;
        int covered = 0;
        for (int w = 0; w < threads; w++) {
            int a = StepEngine.bandStart(ny, w, threads);
            int b = StepEngine.bandStart(ny, w + 1, threads);
            int lo = firstReported(a);
            int hi = endReported(b);
            if (lo < hi) {
                if (covered < lo) {
                    pieces[n++] = covered;
                    pieces[n++] = lo;
                }
                covered = hi;
            }
        }
        if (covered < ny) {
            pieces[n++] = covered;
            pieces[n++] = ny;
        }
        return Arrays.copyOf(pieces, n);
    }

    private void fillSeam(Rows rows, int seam) {
        if (seam < threads - 1) {
            int s = StepEngine.bandStart(ny, seam + 1, threads);
            for (int t = 1; t <= levels; t++) {
                rows.advance(t, s - radius * t, s + radius * t);
            }
            return;
        }
        for (int t = 1; t <= levels; t++) { // across the ends of a periodic grid
            rows.advance(t, ny - radius * t, ny);
            rows.advance(t, 0, radius * t);
        }
    }
}
