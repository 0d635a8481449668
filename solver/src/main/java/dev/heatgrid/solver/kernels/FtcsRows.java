package dev.heatgrid.solver.kernels;

import dev.heatgrid.solver.spi.Subnormals;
import java.lang.foreign.MemorySegment;

/**
 * The inner loop of {@link FtcsKernel}: one row of the 5-point update
 * <pre>  u' = c + (rx * ((w + e) - 2c) + ry * ((s + n) - 2c)),  flushed below {@link Subnormals#FLUSH_BELOW}</pre>
 * Implementations must give bit-identical results: the same IEEE operations in the same order,
 * no fused multiply-add. The form "c plus increments" keeps a uniform field exactly uniform.
 */
interface FtcsRows {
    /**
     * A ghost column that marks its edge node as held by the engine (a Dirichlet edge, which the
     * engine writes after every step): the loops leave that node of the target as it was.
     */
    int HELD = -1;

    /**
     * Updates row {@code y} of {@code dst} from rows {@code below}, {@code centre}, {@code above}
     * of {@code src} (byte offsets of each row's first node). The neighbours of the edge nodes
     * x = 0 and x = nx - 1 outside the row are the nodes {@code westGhost} and {@code eastGhost}
     * of the centre row; an edge node whose ghost is {@link #HELD} is not written.
     */
    void row(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out, int nx,
             int westGhost, int eastGhost, double rx, double ry);

    /**
     * {@link #row} for the {@code count} rows from the one whose first node is at byte
     * {@code firstRow}, each between the rows next to it (no row on the grid's south or north edge).
     * A {@link #HELD} edge node may be left with any value.
     */
    default void innerRows(MemorySegment src, MemorySegment dst, long firstRow, int count, int nx, int westGhost,
                           int eastGhost, double rx, double ry) {
        long rowBytes = (long) nx * Double.BYTES;
        for (int i = 0; i < count; i++) {
            long centre = firstRow + i * rowBytes;
            row(src, centre - rowBytes, centre, centre + rowBytes, dst, centre, nx, westGhost, eastGhost, rx, ry);
        }
    }

    /** The update of one node; both loops use it for the edge nodes. */
    static double update(double c, double w, double e, double s, double n, double rx, double ry) {
        double c2 = c + c;
        double v = c + (rx * ((w + e) - c2) + ry * ((s + n) - c2));
        return Math.abs(v) < Subnormals.FLUSH_BELOW ? 0.0 : v;
    }

    /**
     * The vector loop when the JVM has {@code jdk.incubator.vector} (C2 does not vectorize a
     * stencil whose source and destination it cannot prove distinct), else the scalar loop. Loaded
     * reflectively so a JVM without the module never touches incubator classes. The system property
     * {@code heatgrid.vector=false} forces the scalar loop (for comparisons).
     */
    static FtcsRows best() {
        if (VectorSupport.enabled()) {
            try {
                return (FtcsRows) Class.forName("dev.heatgrid.solver.kernels.VectorFtcsRows")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the scalar loop
            }
        }
        return new ScalarFtcsRows();
    }
}
