package dev.heatgrid.solver.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** {@link FtcsRows} one node at a time: the reference the vector loop must match bit for bit. */
final class ScalarFtcsRows implements FtcsRows {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);
    /**
     * A cell for the interior loop: every cell is 8-byte aligned anyway, and an aligned layout made
     * C2 test each access's alignment in the loop (row offsets are not constants): a third of a step.
     */
    private static final ValueLayout.OfDouble ANY_CELL = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * The interior, then the edge nodes. Interior neighbours are always x - 1 and x + 1, and addresses
     * affine in x let C2 hoist the segment's bounds checks, which node()'s ghost choice kept in the
     * loop (63 % of a 512^2 step's samples).
     */
    @Override
    public void row(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out, int nx,
                    int westGhost, int eastGhost, double rx, double ry) {
        for (int x = 1; x < nx - 1; x++) {
            long at = (long) x * Double.BYTES;
            double v = FtcsRows.update(src.get(ANY_CELL, centre + at), src.get(ANY_CELL, centre + at - Double.BYTES),
                    src.get(ANY_CELL, centre + at + Double.BYTES), src.get(ANY_CELL, below + at),
                    src.get(ANY_CELL, above + at), rx, ry);
            dst.set(ANY_CELL, out + at, v);
        }
        edges(src, below, centre, above, dst, out, nx, westGhost, eastGhost, rx, ry);
    }

    /** The edge nodes x = 0 and x = nx - 1 not {@link #HELD}, whose outside neighbours come from the boundary. */
    private static void edges(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out, int nx,
                      int westGhost, int eastGhost, double rx, double ry) {
        boolean west = westGhost != HELD;
        boolean east = eastGhost != HELD;
        if (west && (east || nx > 1)) { // a one-node row is both edges: held if either is
            node(src, below, centre, above, dst, out, nx, westGhost, eastGhost, rx, ry, 0);
        }
        if (nx > 1 && east) {
            node(src, below, centre, above, dst, out, nx, westGhost, eastGhost, rx, ry, nx - 1);
        }
    }

    private static void node(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out,
                             int nx, int westGhost, int eastGhost, double rx, double ry, int x) {
        long at = (long) x * Double.BYTES;
        long west = (long) (x > 0 ? x - 1 : westGhost) * Double.BYTES;
        long east = (long) (x < nx - 1 ? x + 1 : eastGhost) * Double.BYTES;
        double v = FtcsRows.update(src.get(CELL, centre + at), src.get(CELL, centre + west),
                src.get(CELL, centre + east), src.get(CELL, below + at), src.get(CELL, above + at), rx, ry);
        dst.set(CELL, out + at, v);
    }
}
