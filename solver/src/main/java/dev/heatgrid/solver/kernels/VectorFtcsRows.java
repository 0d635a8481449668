package dev.heatgrid.solver.kernels;

import dev.heatgrid.solver.spi.Subnormals;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FtcsRows} with the Vector API. The interior of a row goes vector by vector, and the last
 * vector overlaps the one before instead of leaving a scalar tail: source and destination are
 * different memory, so recomputing a few nodes writes the same values again. Only the two edge
 * nodes, whose neighbours come from the boundary, are scalar.
 */
final class VectorFtcsRows implements FtcsRows {
    /** static final, so C2 sees the shape as a constant: it then drops bounds checks and unrolls. */
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(LE);

    @Override
    public void row(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out, int nx,
                    int westGhost, int eastGhost, double rx, double ry) {
        int lastStart = nx - 1 - LANES; // the last vector covers nodes lastStart .. nx-2
        if (lastStart < 1) {
            new ScalarFtcsRows().row(src, below, centre, above, dst, out, nx, westGhost, eastGhost, rx, ry);
            return;
        }
        // One counted loop over vector starts; the last start is clamped to lastStart, so the last
        // vector overlaps the one before instead of leaving a scalar tail. A single call site keeps
        // the compiled method small (two inlined bodies pushed C2 past its node-count cut-off).
        int vectors = (lastStart - 1 + LANES - 1) / LANES + 1;
        for (int i = 0; i < vectors; i++) {
            body(src, below, centre, above, dst, out, Math.min(1 + i * LANES, lastStart), rx, ry);
        }
        edges(src, below, centre, above, dst, out, nx, westGhost, eastGhost, rx, ry);
    }

    /** The two edge nodes, whose outside neighbours come from the boundary; kept out of the hot method. */
    private static void edges(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out, int nx,
                              int westGhost, int eastGhost, double rx, double ry) {
        edge(src, below, centre, above, dst, out, 0, westGhost, 1, rx, ry);
        edge(src, below, centre, above, dst, out, nx - 1, nx - 2, eastGhost, rx, ry);
    }

    /**
     * Nodes x .. x+LANES-1. Takes only scalars: a vector passed across a call that C2 does not
     * inline gets boxed, which measured 2x slower; broadcasts of loop invariants are hoisted.
     */
    private static void body(MemorySegment src, long below, long centre, long above, MemorySegment dst, long out, int x,
                             double rx, double ry) {
        long at = (long) x * Double.BYTES;
        DoubleVector c = DoubleVector.fromMemorySegment(SPECIES, src, centre + at, LE);
        DoubleVector w = DoubleVector.fromMemorySegment(SPECIES, src, centre + at - Double.BYTES, LE);
        DoubleVector e = DoubleVector.fromMemorySegment(SPECIES, src, centre + at + Double.BYTES, LE);
        DoubleVector s = DoubleVector.fromMemorySegment(SPECIES, src, below + at, LE);
        DoubleVector n = DoubleVector.fromMemorySegment(SPECIES, src, above + at, LE);
        DoubleVector c2 = c.add(c);
        DoubleVector v = c.add(w.add(e).sub(c2).mul(rx).add(s.add(n).sub(c2).mul(ry)));
        v = v.blend(0.0, v.abs().compare(VectorOperators.LT, Subnormals.FLUSH_BELOW));
        v.intoMemorySegment(dst, out + at, LE);
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
