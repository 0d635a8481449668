package dev.heatgrid.solver.engine;

/**
 * The statistics of a frame's fields in units of whole rows, recorded by the workers right after
 * they write a unit's rows (its overrides included: a {@link RowScan} reads the unit back) and
 * combined between passes in unit order. Units are fixed by the grid, not by how rows were split
 * among threads, so one and N threads give the same statistics bit for bit.
 *
 * <p>min, max and the checksum part do not depend on the order the cells are visited in; a sum
 * does, so this class fixes it, and every scan follows it bit for bit (scalar or vector, on any
 * machine; FORMAT.md leaves the order to the writer):
 * <pre>
 *   U         = max(1, UNIT_NODES / nx) rows per unit; unit u holds rows u*U .. min(ny, (u+1)*U) - 1
 *   cell i    the unit's cells in memory order, i = 0 .. n-1 from x = 0 of its first row (edges included)
 *   lane j    the cells i &lt; 8 * floor(n / 8) with i mod 8 = j (LANES = 8: one AVX-512 vector)
 *   s_j       = the lane's cells added in increasing i, starting from +0.0
 *   sum       = (((0.0 + s_0) + s_1) + ... + s_7), then each cell i &gt;= 8 * floor(n / 8) in increasing i
 * </pre>
 * Reading a unit as one run of nodes, rather than row by row, is what makes the statistics cheap
 * where rows are short: whole 128^2 runs went 1.5-1.7x as fast as with a row's lanes started, read
 * back and folded per row (docs/BENCHMARKS.md, "Statistics in units of rows"). min and max are what
 * {@link Math#min} and {@link Math#max} give (so -0.0 is below +0.0), except that a NaN anywhere in
 * the unit makes min, max and sum the canonical {@link Double#NaN}.
 */
public final class RowTotals {
    /** Cells per block of the lane-ordered sum: one AVX-512 vector of doubles. */
    public static final int LANES = 8;
    /** Nodes a unit holds at least (unless a row is longer): 16 KiB, read back from L1 or L2. */
    public static final int UNIT_NODES = 2048;

    private final int nx;
    private final int ny;
    private final int unitRows;
    private final double[][] min;
    private final double[][] max;
    private final double[][] sum;
    private final long[][] checksum;

    public RowTotals(int nx, int ny, int fields) {
        this.nx = nx;
        this.ny = ny;
        this.unitRows = unitRows(nx);
        int units = (ny + unitRows - 1) / unitRows;
        this.min = new double[fields][units];
        this.max = new double[fields][units];
        this.sum = new double[fields][units];
        this.checksum = new long[fields][units];
    }

    /** Rows per unit of a grid {@code nx} nodes wide. */
    public static int unitRows(int nx) {
        return Math.max(1, UNIT_NODES / nx);
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

    /** Rows per unit. */
    public int unitRows() {
        return unitRows;
    }

    public int units() {
        return min[0].length;
    }

    /** First row of unit {@code u}. */
    public int firstRow(int u) {
        return u * unitRows;
    }

    /** One past the last row of unit {@code u}. */
    public int endRow(int u) {
        return Math.min(ny, (u + 1) * unitRows);
    }

    /** Records unit {@code u} of field {@code f} (see the class comment for what each value is). */
    public void record(int f, int u, double lo, double hi, double total, long check) {
        boolean nan = lo != lo || hi != hi;
        min[f][u] = nan ? Double.NaN : lo;
        max[f][u] = nan ? Double.NaN : hi;
        sum[f][u] = nan || total != total ? Double.NaN : total;
        checksum[f][u] = check;
    }

    /** The order key of a value's bits: all but the sign bit flipped if negative, so signed longs order as {@link Math#min} does. */
    public static long orderKey(long bits) {
        return bits ^ (bits >> 63) >>> 1;
    }

    public double min(int f, int u) {
        return min[f][u];
    }

    public double max(int f, int u) {
        return max[f][u];
    }

    public double sum(int f, int u) {
        return sum[f][u];
    }

    public long checksum(int f, int u) {
        return checksum[f][u];
    }
}
