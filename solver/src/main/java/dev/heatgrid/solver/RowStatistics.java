package dev.heatgrid.solver;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameChecksum;
import dev.heatgrid.solver.engine.RowScan;
import dev.heatgrid.solver.engine.RowTotals;
import dev.heatgrid.solver.spi.GridGeometry;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Frame statistics gathered unit by unit of rows by the workers, right after a chunk of rows is
 * written and overridden (while it is still in cache; {@link RowTotals} fixes what a unit
 * contributes, bit for bit), and combined between steps in unit order. Units fixed by the grid make
 * the result independent of how rows were split among threads: 1 and N threads give the same header
 * bit for bit. Unit sums are combined with Neumaier compensation, min and max exactly, and the
 * checksum, being a modular sum, adds up in any order.
 */
final class RowStatistics {
    private static final RowScan SCAN = RowScan.best();
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final GridGeometry grid;
    private final RowTotals rows;
    private final double[] maxDelta;

    RowStatistics(GridGeometry grid, int fields) {
        this.grid = grid;
        this.rows = new RowTotals(grid.nx(), grid.ny(), fields);
        this.maxDelta = new double[grid.ny()];
    }

    /** Rows per unit: what a caller of {@link #scan} must split rows in. */
    int unitRows() {
        return rows.unitRows();
    }

    /**
     * Scans the units of rows {@code y0..y1-1} of every field (each worker its own units).
     *
     * @throws IllegalArgumentException if the rows are not whole units
     */
    void scan(List<MemorySegment> fields, int y0, int y1) {
        int unit = rows.unitRows();
        if (y0 % unit != 0 || y1 % unit != 0 && y1 != grid.ny()) {
            throw new IllegalArgumentException("rows " + y0 + ".." + y1 + " are not whole units of " + unit + " rows");
        }
        for (int f = 0; f < fields.size(); f++) {
            MemorySegment field = fields.get(f);
            for (int u = y0 / unit; u * unit < y1; u++) {
                SCAN.scan(field, u, rows, f);
            }
        }
    }

    /** Records max |after - before| over rows {@code y0..y1-1} of the given fields. */
    void scanDelta(List<MemorySegment> before, List<MemorySegment> after, int y0, int y1) {
        int nx = grid.nx();
        for (int y = y0; y < y1; y++) {
            double m = 0;
            long offset = grid.rowOffset(y);
            for (int f = 0; f < after.size(); f++) {
                MemorySegment a = before.get(f);
                MemorySegment b = after.get(f);
                for (int x = 0; x < nx; x++) {
                    long at = offset + (long) x * Double.BYTES;
                    double d = Math.abs(b.get(CELL, at) - a.get(CELL, at));
                    m = d > m || d != d ? d : m; // NaN wins, so a blow-up never looks steady
                }
            }
            maxDelta[y] = m;
        }
    }

    /** Largest change of the last {@link #scanDelta} over all rows. */
    double maxDelta() {
        double m = 0;
        for (double d : maxDelta) {
            m = d > m || d != d ? d : m;
        }
        return m;
    }

    /** The statistics of every field, combined in unit order. */
    List<FieldStats> combine() {
        var stats = new ArrayList<FieldStats>(rows.fields());
        long cells = grid.cells();
        for (int f = 0; f < rows.fields(); f++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double total = 0;
            double compensation = 0;
            long check = 0;
            for (int u = 0; u < rows.units(); u++) {
                lo = Math.min(lo, rows.min(f, u));
                hi = Math.max(hi, rows.max(f, u));
                double v = rows.sum(f, u);
                double t = total + v;
                compensation += Math.abs(total) >= Math.abs(v) ? (total - t) + v : (v - t) + total;
                total = t;
                check = FrameChecksum.combine(check, rows.checksum(f, u));
            }
            double s = total + compensation;
            stats.add(new FieldStats(lo, hi, s / cells, s * grid.dx() * grid.dy(), check));
        }
        return stats;
    }
}
