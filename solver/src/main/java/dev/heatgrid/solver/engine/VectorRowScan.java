package dev.heatgrid.solver.engine;

import static dev.heatgrid.solver.engine.VectorRowParts.DOUBLES;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link RowScan} with the Vector API: each block of {@link RowTotals#LANES} cells is one vector
 * (AVX-512) or a few ({@link VectorRowParts#PARTS}), so a vector lane is a lane of the sum. Loaded
 * only when the JVM has jdk.incubator.vector; where a block is not a whole number of vectors it
 * defers to the scalar loop.
 */
final class VectorRowScan implements RowScan {
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public void interior(MemorySegment field, int y, RowTotals totals, int f) {
        int nx = totals.nx();
        if (!VectorRowParts.FITS || nx - 2 < RowTotals.LANES) { // no complete block: nothing for vectors
            RowScan.scalar().interior(field, y, totals, f);
            return;
        }
        int head = RowTotals.headCells(nx);
        long first = (long) y * nx;
        VectorRowParts.startLanes(field, first * Double.BYTES, totals, f, y, false);
        int blocks = (nx - 2) / RowTotals.LANES;
        for (int part = 0; part < VectorRowParts.PARTS; part++) {
            int lane0 = part * VectorRowParts.VECTOR_LANES;
            partOfBlocks(field, (first + 1 + head + lane0) * Double.BYTES, blocks, (first + 1 + head + lane0)
                    * FrameChecksum.MIX, totals.laneWords(f), totals.laneSums(f), y * 3 * RowTotals.LANES + lane0,
                    y * RowTotals.LANES + lane0);
        }
        totals.lanesDone(f, y);
    }

    /**
     * One vector of every block of a row, from byte {@code at} on (see {@link VectorRowParts#PARTS}):
     * its lanes' accumulators start from, and are stored back to, {@code words} at {@code slot} and
     * {@code sums} at {@code sumSlot}.
     */
    private static void partOfBlocks(MemorySegment field, long at, int blocks, long firstMix, long[] words,
                                     double[] sums, int slot, int sumSlot) {
        LongVector lo = LongVector.fromArray(VectorRowParts.LONGS, words, slot);
        LongVector hi = LongVector.fromArray(VectorRowParts.LONGS, words, slot + RowTotals.LANES);
        LongVector check = LongVector.fromArray(VectorRowParts.LONGS, words, slot + 2 * RowTotals.LANES);
        DoubleVector sum = DoubleVector.fromArray(DOUBLES, sums, sumSlot);
        LongVector mix = VectorRowParts.LANE_MIX.add(firstMix);
        for (int k = 0; k < blocks; k++) {
            long cell = at + k * VectorRowParts.BLOCK_BYTES;
            DoubleVector v = DoubleVector.fromMemorySegment(DOUBLES, field, cell, LE);
            LongVector bits = LongVector.fromMemorySegment(VectorRowParts.LONGS, field, cell, LE); // see VectorRowParts
            LongVector keys = VectorRowParts.keys(bits);
            lo = lo.blend(keys, keys.compare(VectorOperators.LT, lo)); // not min(): C2 boxes a long min
            hi = hi.blend(keys, keys.compare(VectorOperators.GT, hi));
            sum = sum.add(v);
            check = check.add(bits.lanewise(VectorOperators.XOR, mix));
            mix = mix.add(VectorRowParts.BLOCK_MIX);
        }
        // Stored, not reduced here: RowTotals folds them in order.
        lo.intoArray(words, slot);
        hi.intoArray(words, slot + RowTotals.LANES);
        check.intoArray(words, slot + 2 * RowTotals.LANES);
        sum.intoArray(sums, sumSlot);
    }
}
