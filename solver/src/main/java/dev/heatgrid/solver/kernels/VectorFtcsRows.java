package dev.heatgrid.solver.kernels;

import static dev.heatgrid.solver.engine.VectorRowParts.DOUBLES;

import dev.heatgrid.segment.FrameChecksum;
import dev.heatgrid.solver.engine.RowScan;
import dev.heatgrid.solver.engine.RowTotals;
import dev.heatgrid.solver.engine.VectorRowParts;
import dev.heatgrid.solver.spi.Subnormals;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
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
 *   <li>Loop addresses are affine in the loop counter (the overlapping last vector is a second call
 *       of the loop, not a clamped index), so C2 can hoist the segment's bounds checks.</li>
 *   <li>The bits of a value for the checksum are loaded back from where it was stored, never
 *       reinterpreted ({@link VectorRowParts} says why).</li>
 *   <li>Calls of many vectors and calls of one or two go to different copies of the loop
 *       ({@link #bulkVectors}, {@link #vectors}): C2 compiles a loop for the trip counts its profile
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
    /** Nodes of the pieces {@link #acrossRows} takes: 16 KiB, half of L1, so a piece's rows are there to be read back. */
    private static final int PIECE_NODES = 2048;
    /**
     * Whether a value this loop writes may be -0.0, which its compares cannot tell from +0.0
     * ({@link RowTotals#boundsDone}). A flushed value never is: |-0.0| is below the threshold, so
     * +0.0 is written instead.
     */
    private static final boolean NEGATIVE_ZEROS = !(Subnormals.FLUSH_BELOW > 0.0);

    @Override
    public void row(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out, int nx,
                    int westGhost, int eastGhost, double rx, double ry) {
        if (narrow(nx)) {
            SCALAR.row(src, below, centre, above, dst, out, nx, westGhost, eastGhost, rx, ry);
            return;
        }
        acrossRows(src, below, centre, above, dst, out, 1, nx, rx, ry);
        edges(src, below, centre, above, dst, out, nx, westGhost, eastGhost, rx, ry);
    }

    /** Whether no vector fits between a row's edge nodes (one from x = 1 would pass x = nx - 2): the scalar loop's rows. */
    private static boolean narrow(int nx) {
        return nx - 1 - LANES < 1;
    }

    /** {@code count} vectors of nodes, the first at byte {@code from} of the row. */
    private static void vectors(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out,
                                long from, int count, double rx, double ry) {
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

    /**
     * {@link #row}, with each block's values folded into the lanes of min and max, the lane
     * sums and the checksum lanes (as they leave the registers, or from the row just written where a
     * block is two vectors: {@link #blocksScanned}). The blocks of {@link RowTotals} end at
     * the last interior node; the few nodes before the first block (the head, at most 7) start the
     * lanes ({@link VectorRowParts#startLanes}). No masked
     * vector operations, only blends: in JDK 25 masked operations fell back to Java code (allocating
     * per lane) in some compilations, and a masked stencil made this method too large for C1, which
     * then never let C2 compile it.
     */
    @Override
    public void interiorScanned(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out,
                                int nx, int westGhost, int eastGhost, double rx, double ry, RowTotals totals, int f,
                                int y) {
        if (!VectorRowParts.FITS || nx - 2 < RowTotals.LANES) { // no complete block of nodes
            SCALAR.interiorScanned(src, below, centre, above, dst, out, nx, westGhost, eastGhost, rx, ry, totals, f, y);
            return;
        }
        int head = RowTotals.headCells(nx);
        // The vectors from x = 1 that hold the head's nodes (the blocks then rewrite x >= 1 + head, the same values).
        vectors(src, below, centre, above, dst, out, Double.BYTES, headVectorCount(head), rx, ry);
        VectorRowParts.startLanes(dst, out, totals, f, y, true);
        blocksScanned(src, below, centre, above, dst, out, (long) (1 + head) * Double.BYTES, (nx - 2) / RowTotals.LANES,
                rx, ry, ((long) y * nx + 1 + head) * FrameChecksum.MIX, totals.laneWords(f), totals.laneSums(f),
                totals.laneBounds(f), y);
        lanesDone(dst, totals, f, y);
    }

    /**
     * Each row's interior recorded as {@link #interiorScanned} would, with the work done once per row
     * taken in loops instead of calls ({@link #piecesReadBack} with AVX2, {@link #rowsFused} with
     * AVX-512), then the edge nodes in one loop over the rows.
     */
    @Override
    public void innerRowsScanned(MemorySegment src, MemorySegment dst, long firstRow, int y0, int count, int nx,
                                 int westGhost, int eastGhost, double rx, double ry, RowTotals totals, int f) {
        if (!VectorRowParts.FITS || nx - 2 < RowTotals.LANES) {
            FtcsRows.super.innerRowsScanned(src, dst, firstRow, y0, count, nx, westGhost, eastGhost, rx, ry, totals, f);
            return;
        }
        if (VectorRowParts.PARTS > 1) {
            piecesReadBack(src, dst, firstRow, y0, count, nx, rx, ry, totals, f);
        } else {
            rowsFused(src, dst, firstRow, y0, count, nx, rx, ry, totals, f);
        }
        edgeColumns(src, dst, firstRow, (long) nx * Double.BYTES, count, nx, westGhost, eastGhost, rx, ry);
    }

    /**
     * AVX2: pieces of rows as one run of nodes ({@link #acrossRows}), then each piece's lanes started
     * and its rows' blocks read back while they are in L1. The edge nodes are left to the caller.
     */
    private static void piecesReadBack(MemorySegment src, MemorySegment dst, long firstRow, int y0, int count, int nx,
                                       double rx, double ry, RowTotals totals, int f) {
        long rowBytes = (long) nx * Double.BYTES;
        int head = RowTotals.headCells(nx);
        long from = (long) (1 + head) * Double.BYTES;
        int blocks = (nx - 2) / RowTotals.LANES;
        long[] words = totals.laneWords(f);
        double[] sums = totals.laneSums(f);
        double[] bounds = totals.laneBounds(f);
        int piece = piece(nx);
        for (int p = 0; p < count; p += piece) {
            int height = Math.min(piece, count - p);
            long first = firstRow + p * rowBytes;
            acrossRows(src, first - rowBytes, first, first + rowBytes, dst, first, height, nx, rx, ry);
            VectorRowParts.startLanes(dst, first, rowBytes, height, totals, f, y0 + p, true);
            for (int i = 0; i < height; i++) {
                int y = y0 + p + i;
                blocksReadBack(dst, first + i * rowBytes + from, blocks, ((long) y * nx + 1 + head) * FrameChecksum.MIX,
                        words, sums, bounds, y);
                lanesDone(dst, totals, f, y);
            }
        }
    }

    /**
     * AVX-512 (one vector a block, the stencil folded as it goes): the rows' heads first (the vector
     * at x = 1 of every row, then every row's lanes started from it), then each row's blocks. The
     * edge nodes are left to the caller.
     */
    private static void rowsFused(MemorySegment src, MemorySegment dst, long firstRow, int y0, int count, int nx,
                                  double rx, double ry, RowTotals totals, int f) {
        long rowBytes = (long) nx * Double.BYTES;
        int head = RowTotals.headCells(nx);
        long from = (long) (1 + head) * Double.BYTES;
        int blocks = (nx - 2) / RowTotals.LANES;
        long[] words = totals.laneWords(f);
        double[] sums = totals.laneSums(f);
        double[] bounds = totals.laneBounds(f);
        for (int k = 0; k < headVectorCount(head); k++) {
            headVectors(src, dst, firstRow + (long) k * VECTOR_BYTES, rowBytes, count, rx, ry);
        }
        VectorRowParts.startLanes(dst, firstRow, rowBytes, count, totals, f, y0, true);
        for (int i = 0; i < count; i++) {
            int y = y0 + i;
            long centre = firstRow + i * rowBytes;
            blocksFused(src, centre - rowBytes, centre, centre + rowBytes, dst, centre, from, blocks, rx, ry,
                    ((long) y * nx + 1 + head) * FrameChecksum.MIX, words, sums, bounds, y * 3 * RowTotals.LANES,
                    y * RowTotals.LANES, y * 2 * RowTotals.LANES);
            lanesDone(dst, totals, f, y);
        }
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

    /** Rows that {@link #acrossRows} takes at a time: about 16 KiB written, which the read-back then finds in L1. */
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
            vectors(src, below, centre, above, dst, out, last, 1, rx, ry);
        }
    }

    /**
     * Records row {@code y} of field {@code f} (row y of {@code field}) from its lanes; a row whose
     * bounds leave min or max open (a NaN, both infinities, or a zero that may be -0.0) is scanned
     * again, once.
     */
    private static void lanesDone(MemorySegment field, RowTotals totals, int f, int y) {
        if (!totals.boundsDone(f, y, NEGATIVE_ZEROS)) {
            RowScan.scalar().interior(field, y, totals, f);
        }
    }

    /** Vectors from x = 1 that cover a row's {@code head} nodes: one with AVX-512, up to two with AVX2. */
    private static int headVectorCount(int head) {
        return (head + LANES - 1) / LANES;
    }

    /**
     * The vector at x = 1 of {@code count} rows from {@code firstRow} (the next vector when
     * {@code firstRow} is a vector further on), each between the rows next to it. The stencil of
     * vectors() written out again, stepping by a row (see the class comment).
     */
    private static void headVectors(MemorySegment src, MemorySegment dst, long firstRow, long rowBytes, int count,
                                    double rx, double ry) {
        for (int i = 0; i < count; i++) {
            long at = firstRow + i * rowBytes + Double.BYTES;
            DoubleVector c = DoubleVector.fromMemorySegment(DOUBLES, src, at, LE);
            DoubleVector w = DoubleVector.fromMemorySegment(DOUBLES, src, at - Double.BYTES, LE);
            DoubleVector e = DoubleVector.fromMemorySegment(DOUBLES, src, at + Double.BYTES, LE);
            DoubleVector s = DoubleVector.fromMemorySegment(DOUBLES, src, at - rowBytes, LE);
            DoubleVector n = DoubleVector.fromMemorySegment(DOUBLES, src, at + rowBytes, LE);
            DoubleVector c2 = c.add(c);
            DoubleVector v = c.add(w.add(e).sub(c2).mul(rx).add(s.add(n).sub(c2).mul(ry)));
            v = v.blend(0.0, v.abs().compare(VectorOperators.LT, Subnormals.FLUSH_BELOW));
            v.intoMemorySegment(dst, at, LE);
        }
    }

    /** The two edge nodes of {@code count} rows from {@code firstRow}, each between the rows next to it. */
    private static void edgeColumns(MemorySegment src, MemorySegment dst, long firstRow, long rowBytes, int count,
                                    int nx, int westGhost, int eastGhost, double rx, double ry) {
        for (int i = 0; i < count; i++) {
            long centre = firstRow + i * rowBytes;
            edge(src, centre - rowBytes, centre, centre + rowBytes, dst, centre, 0, westGhost, 1, rx, ry);
            edge(src, centre - rowBytes, centre, centre + rowBytes, dst, centre, nx - 1, nx - 2, eastGhost, rx, ry);
        }
    }

    /**
     * The complete blocks of a row, from byte {@code from}: the stencil and the row's lanes, which
     * start as {@link VectorRowParts#startLanes} left them in row {@code y}'s slots and are stored
     * back there. With one vector a block (AVX-512) the lanes are folded as the values leave the
     * registers. With more (AVX2: two passes, lanes 0-3 then 4-7), the row's blocks are stepped in
     * one pass of plain vectors first and their lanes then read back from the row just written,
     * still in L1: the fused loop, once per part, read the source rows twice and, with 16 vector
     * registers, spilled its constants; the two loops ran 1.1-1.3x as fast (docs/BENCHMARKS.md,
     * "AVX2 machine").
     */
    private static void blocksScanned(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out,
                                      long from, int blocks, double rx, double ry, long firstMix, long[] words,
                                      double[] sums, double[] bounds, int y) {
        if (VectorRowParts.PARTS > 1) {
            bulkVectors(src, below, centre, above, dst, out, from, blocks * VectorRowParts.PARTS, rx, ry);
            blocksReadBack(dst, out + from, blocks, firstMix, words, sums, bounds, y);
            return;
        }
        blocksFused(src, below, centre, above, dst, out, from, blocks, rx, ry, firstMix, words, sums, bounds,
                y * 3 * RowTotals.LANES, y * RowTotals.LANES, y * 2 * RowTotals.LANES);
    }

    /** Row {@code y}'s lanes from its blocks as written, from byte {@code at} on, one part after the other. */
    private static void blocksReadBack(MemorySegment dst, long at, int blocks, long firstMix, long[] words,
                                       double[] sums, double[] bounds, int y) {
        for (int part = 0; part < VectorRowParts.PARTS; part++) {
            int lane0 = part * LANES;
            VectorRowParts.boundsOfWrittenBlocks(dst, at + (long) lane0 * Double.BYTES, blocks,
                    firstMix + lane0 * FrameChecksum.MIX, words, sums, bounds, y * 3 * RowTotals.LANES + lane0,
                    y * RowTotals.LANES + lane0, y * 2 * RowTotals.LANES + lane0);
        }
    }

    /**
     * The blocks of a row from byte {@code from} on, one vector each (AVX-512), stepped and folded in
     * one pass: the lanes' accumulators start from, and are stored back to, {@code words} at
     * {@code slot} (the checksum lanes at {@code + 2 * LANES}), {@code sums} at {@code sumSlot} and
     * {@code bounds} at {@code boundSlot}. min and max as in {@link VectorRowParts#boundsOfWrittenBlocks}.
     * A method of its own, called once per row: what interiorScanned does around it (the head, the
     * edges) inlined into one method with this loop took C2 past its inlining budget, and it then
     * boxed every vector of the loop (4x slower).
     */
    private static void blocksFused(MemorySegment src, long below, long centre, long above, MemorySegment dst,
                                     long out, long from, int blocks, double rx, double ry, long firstMix, long[] words,
                                     double[] sums, double[] bounds, int slot, int sumSlot, int boundSlot) {
        DoubleVector lo = DoubleVector.fromArray(DOUBLES, bounds, boundSlot);
        DoubleVector hi = DoubleVector.fromArray(DOUBLES, bounds, boundSlot + RowTotals.LANES);
        LongVector check = LongVector.fromArray(VectorRowParts.LONGS, words, slot + 2 * RowTotals.LANES);
        DoubleVector sum = DoubleVector.fromArray(DOUBLES, sums, sumSlot);
        LongVector mix = VectorRowParts.LANE_MIX.add(firstMix);
        for (int i = 0; i < blocks; i++) {
            // The stencil of vectors(), written out again on purpose: a vector body is never a call (see above).
            long at = from + i * VectorRowParts.BLOCK_BYTES;
            DoubleVector c = DoubleVector.fromMemorySegment(DOUBLES, src, centre + at, LE);
            DoubleVector w = DoubleVector.fromMemorySegment(DOUBLES, src, centre + at - Double.BYTES, LE);
            DoubleVector e = DoubleVector.fromMemorySegment(DOUBLES, src, centre + at + Double.BYTES, LE);
            DoubleVector s = DoubleVector.fromMemorySegment(DOUBLES, src, below + at, LE);
            DoubleVector n = DoubleVector.fromMemorySegment(DOUBLES, src, above + at, LE);
            DoubleVector c2 = c.add(c);
            DoubleVector v = c.add(w.add(e).sub(c2).mul(rx).add(s.add(n).sub(c2).mul(ry)));
            v = v.blend(0.0, v.abs().compare(VectorOperators.LT, Subnormals.FLUSH_BELOW));
            v.intoMemorySegment(dst, out + at, LE);
            LongVector bits = LongVector.fromMemorySegment(VectorRowParts.LONGS, dst, out + at, LE); // no reinterpret
            lo = lo.blend(v, v.compare(VectorOperators.LT, lo)); // not min(): Java's min answers NaN and -0.0 in 5 more
            hi = hi.blend(v, v.compare(VectorOperators.GT, hi));
            sum = sum.add(v);
            check = check.add(bits.lanewise(VectorOperators.XOR, mix));
            mix = mix.add(VectorRowParts.BLOCK_MIX);
        }
        // Stored, not reduced here: RowTotals folds them in order. Reductions here pushed C2 past its
        // node budget, and it then boxed the lane sums it passed to a call it could no longer inline.
        lo.intoArray(bounds, boundSlot);
        hi.intoArray(bounds, boundSlot + RowTotals.LANES);
        check.intoArray(words, slot + 2 * RowTotals.LANES);
        sum.intoArray(sums, sumSlot);
    }

    /**
     * {@link #vectors} for the bulk of a row, many vectors a call: {@link #row}'s interior, and with
     * AVX2 the blocks whose lanes are then read back. Written out again on purpose: {@code vectors}
     * is also called with a count of one or two in every row (a head vector, the overlapping last
     * one), and compiled from that profile it ran the blocks 1.1-1.3x slower than a copy of its own
     * (docs/BENCHMARKS.md, "AVX2 machine"), and the unpublished steps 1.06-1.08x ("The bulk of an
     * unpublished row").
     */
    private static void bulkVectors(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out,
                                    long from, int count, double rx, double ry) {
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

    /** The two edge nodes, whose outside neighbours come from the boundary. */
    @Override
    public void edges(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out, int nx,
                      int westGhost, int eastGhost, double rx, double ry) {
        if (nx < 2) { // one node, both edges
            SCALAR.edges(src, below, centre, above, dst, out, nx, westGhost, eastGhost, rx, ry);
            return;
        }
        edge(src, below, centre, above, dst, out, 0, westGhost, 1, rx, ry);
        edge(src, below, centre, above, dst, out, nx - 1, nx - 2, eastGhost, rx, ry);
    }

    private static void edge(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out, int x,
                             int west, int east, double rx, double ry) {
        long at = (long) x * Double.BYTES;
        double v = FtcsRows.update(src.get(CELL, centre + at), src.get(CELL, centre + (long) west * Double.BYTES),
                src.get(CELL, centre + (long) east * Double.BYTES), src.get(CELL, below + at), src.get(CELL, above + at),
                rx, ry);
        dst.set(CELL, out + at, v);
    }
}
