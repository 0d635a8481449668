package dev.heatgrid.solver.kernels;

import static dev.heatgrid.solver.engine.VectorRowParts.DOUBLES;

import dev.heatgrid.segment.VectorFaultMark;
import dev.heatgrid.solver.spi.Subnormals;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link FtcsRows} with the Vector API. The interior of a row goes vector by vector from x = 1; a
 * last vector that would run past it is moved back to end at x = nx - 2, overlapping the one
 * before: source and destination are different memory, so recomputing a few nodes writes the same
 * values again. Rows between the rows next to them go the same way as one run of nodes, a piece of
 * rows at a time ({@link #acrossRows}). Only the two edge nodes, whose neighbours come from the
 * boundary, are scalar.
 *
 * <p>How the loops are written matters to C2, and every rule below was measured
 * (docs/BENCHMARKS.md, "JIT sensitivity"):
 * <ul>
 *   <li>The vector body sits inline in its loop, never in a method called per vector: C2 refuses
 *       to inline a callee that already has a standalone compilation larger than
 *       {@code InlineSmallCode} (2,500 bytes), and how large that gets depends on what ran first
 *       (after the segment's checksum loop the old out-of-line body compiled to 3,184 bytes instead
 *       of 2,008); the row loop then made a call per 8 nodes and ran 3-4x slower.</li>
 *   <li>Loop addresses are affine in the loop counter (the overlapping last vector is a call of its
 *       own, not a clamped index), so C2 can hoist the segment's bounds checks.</li>
 *   <li>The bulk of a run and its one overlapping last vector are different copies of the stencil
 *       ({@link #bulkVectors}, {@link #lastVector}): C2 compiles a loop for the trip counts its profile
 *       saw.</li>
 * </ul>
 */
final class VectorFtcsRows implements FtcsRows {
    private static final int LANES = DOUBLES.length();
    private static final long VECTOR_BYTES = (long) LANES * Double.BYTES;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /**
     * An edge node: every cell is 8-byte aligned anyway, and an aligned layout makes C2 test each
     * access's alignment where the offsets are not constants (the edge loop steps by a row).
     */
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(LE);
    private static final FtcsRows SCALAR = new ScalarFtcsRows();
    /** Nodes of the pieces {@link #acrossRows} takes: 16 KiB, half of L1, with the source rows they read. */
    private static final int PIECE_NODES = 2048;

    @Override
    public void row(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out, int nx,
                    int westGhost, int eastGhost, double rx, double ry) {
        if (narrow(nx)) {
            SCALAR.row(src, below, centre, above, dst, out, nx, westGhost, eastGhost, rx, ry);
            return;
        }
        acrossRows(src, below, centre, above, dst, out, 1, nx, rx, ry);
        if (westGhost != HELD) {
            edge(src, below, centre, above, dst, out, 0, westGhost, 1, rx, ry);
        }
        if (eastGhost != HELD) {
            edge(src, below, centre, above, dst, out, nx - 1, nx - 2, eastGhost, rx, ry);
        }
    }

    /** Whether no vector fits between a row's edge nodes (one from x = 1 would pass x = nx - 2): the scalar loop's rows. */
    private static boolean narrow(int nx) {
        return nx - 1 - LANES < 1;
    }

    /** One vector of nodes at byte {@code at} of the row: a run's last, moved back to end where the run does. */
    private static void lastVector(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out,
                                   long at, double rx, double ry) {
        VectorFaultMark.on(dst, out + at); // a truncated file must end this method with an exception (VectorFaultMark)
        DoubleVector c = DoubleVector.fromMemorySegment(DOUBLES, src, centre + at, LE);
        DoubleVector w = DoubleVector.fromMemorySegment(DOUBLES, src, centre + at - Double.BYTES, LE);
        DoubleVector e = DoubleVector.fromMemorySegment(DOUBLES, src, centre + at + Double.BYTES, LE);
        DoubleVector s = DoubleVector.fromMemorySegment(DOUBLES, src, below + at, LE);
        DoubleVector n = DoubleVector.fromMemorySegment(DOUBLES, src, above + at, LE);
        DoubleVector c2 = c.add(c);
        DoubleVector v = c.add(w.add(e).sub(c2).mul(rx).add(s.add(n).sub(c2).mul(ry)));
        v = v.blend(0.0, v.abs().compare(VectorOperators.LT, Subnormals.FLUSH_BELOW));
        v.intoMemorySegment(dst, out + at, LE);
    }

    /** {@link #row} for rows that lie between the rows next to them: pieces of rows as one run of nodes, then the edge nodes. */
    @Override
    public void innerRows(MemorySegment src, MemorySegment dst, long firstRow, int count, int nx, int westGhost,
                          int eastGhost, double rx, double ry) {
        if (narrow(nx)) {
            FtcsRows.super.innerRows(src, dst, firstRow, count, nx, westGhost, eastGhost, rx, ry);
            return;
        }
        long rowBytes = (long) nx * Double.BYTES;
        int piece = piece(nx);
        for (int p = 0; p < count; p += piece) {
            long first = firstRow + p * rowBytes;
            acrossRows(src, first - rowBytes, first, first + rowBytes, dst, first, Math.min(piece, count - p), nx, rx, ry);
        }
        edgeColumns(src, dst, firstRow, rowBytes, count, nx, westGhost, eastGhost, rx, ry);
    }

    /** Rows that {@link #acrossRows} takes at a time: about 16 KiB written. */
    private static int piece(int nx) {
        return Math.max(1, PIECE_NODES / nx);
    }

    /**
     * The stencil from node x = 1 of the first of {@code count} rows to x = nx - 2 of the last, as one
     * run of nodes; the first row at {@code centre} of {@code src} and {@code out} of {@code dst}, its
     * neighbours at {@code below} and {@code above}, each later row a row further on (so more than one
     * row only where the rows lie next to each other). A row's last node and the next row's first,
     * between them, are written too, with the wrong neighbours (the next or previous row's), and the
     * caller must then write them again ({@link #edgeColumns}). One loop over a piece of rows instead of
     * head vectors and a block loop per row: whole runs at 128² went 1.19x and at 512² 1.08x as fast
     * with one thread (docs/BENCHMARKS.md, "Rows as one run of nodes"). Needs a row that is not
     * {@link #narrow}.
     */
    private static void acrossRows(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out,
                                   int count, int nx, double rx, double ry) {
        int nodes = count * nx - 2;
        int vectors = nodes / LANES;
        bulkVectors(src, below, centre, above, dst, out, Double.BYTES, vectors, rx, ry);
        if (vectors * LANES < nodes) { // the last vector, moved back to end at x = nx - 2 of the last row
            long last = (long) (count * nx - 1 - LANES) * Double.BYTES;
            lastVector(src, below, centre, above, dst, out, last, rx, ry);
        }
    }

    /** The two edge nodes of {@code count} rows from {@code firstRow}, each between the rows next to it, unless {@link #HELD}. */
    private static void edgeColumns(MemorySegment src, MemorySegment dst, long firstRow, long rowBytes, int count,
                                    int nx, int westGhost, int eastGhost, double rx, double ry) {
        if (westGhost != HELD) {
            edgeColumn(src, dst, firstRow, rowBytes, count, 0, westGhost, 1, rx, ry);
        }
        if (eastGhost != HELD) {
            edgeColumn(src, dst, firstRow, rowBytes, count, nx - 1, nx - 2, eastGhost, rx, ry);
        }
    }

    /** Edge node {@code x} of {@code count} rows from {@code firstRow}, its neighbours in the row {@code west} and {@code east}. */
    private static void edgeColumn(MemorySegment src, MemorySegment dst, long firstRow, long rowBytes, int count, int x,
                                   int west, int east, double rx, double ry) {
        for (int i = 0; i < count; i++) {
            long centre = firstRow + i * rowBytes;
            edge(src, centre - rowBytes, centre, centre + rowBytes, dst, centre, x, west, east, rx, ry);
        }
    }

    /**
     * The bulk of a run of nodes, many vectors a call: the stencil of {@link #lastVector} written out
     * again on purpose. One loop for both, compiled from a profile that saw counts of one, ran the
     * blocks 1.1-1.3x slower than a copy of its own
     * (docs/BENCHMARKS.md, "AVX2 machine"), and the unpublished steps 1.06-1.08x ("The bulk of an
     * unpublished row").
     */
    private static void bulkVectors(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out,
                                    long from, int count, double rx, double ry) {
        VectorFaultMark.on(src, centre); // a truncated file must end this method with an exception (VectorFaultMark)
        for (int i = 0; i < count; i++) {
            long at = from + i * VECTOR_BYTES;
            DoubleVector c = DoubleVector.fromMemorySegment(DOUBLES, src, centre + at, LE);
            DoubleVector w = DoubleVector.fromMemorySegment(DOUBLES, src, centre + at - Double.BYTES, LE);
            DoubleVector e = DoubleVector.fromMemorySegment(DOUBLES, src, centre + at + Double.BYTES, LE);
            DoubleVector s = DoubleVector.fromMemorySegment(DOUBLES, src, below + at, LE);
            DoubleVector n = DoubleVector.fromMemorySegment(DOUBLES, src, above + at, LE);
            DoubleVector c2 = c.add(c);
            DoubleVector v = c.add(w.add(e).sub(c2).mul(rx).add(s.add(n).sub(c2).mul(ry)));
            v = v.blend(0.0, v.abs().compare(VectorOperators.LT, Subnormals.FLUSH_BELOW));
            v.intoMemorySegment(dst, out + at, LE);
        }
    }

    /** Edge node {@code x}, whose outside neighbours ({@code west}, {@code east}) come from the boundary. */
    private static void edge(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out, int x,
                             int west, int east, double rx, double ry) {
        long at = (long) x * Double.BYTES;
        double v = FtcsRows.update(src.get(CELL, centre + at), src.get(CELL, centre + (long) west * Double.BYTES),
                src.get(CELL, centre + (long) east * Double.BYTES), src.get(CELL, below + at), src.get(CELL, above + at),
                rx, ry);
        dst.set(CELL, out + at, v);
    }
}
