package dev.heatgrid.solver.engine;

import static dev.heatgrid.solver.engine.VectorRowParts.DOUBLES;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;

/**
 * {@link RowScan} with the Vector API: one block of {@link RowTotals#LANES} cells per vector, so a
 * vector lane is a lane of the sum. Loaded only when the JVM has jdk.incubator.vector; on machines
 * whose preferred vector does not hold 8 doubles it defers to the scalar loop.
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
        long row = (first + 1 + head) * Double.BYTES; // the first complete block
        VectorRowParts.startLanes(field, first * Double.BYTES, totals, f, y);
        long[] words = totals.laneWords(f);
        double[] sums = totals.laneSums(f);
        int slot = y * 3 * RowTotals.LANES;
        LongVector lo = LongVector.fromArray(VectorRowParts.LONGS, words, slot);
        LongVector hi = LongVector.fromArray(VectorRowParts.LONGS, words, slot + RowTotals.LANES);
        LongVector check = LongVector.fromArray(VectorRowParts.LONGS, words, slot + 2 * RowTotals.LANES);
        DoubleVector sum = DoubleVector.fromArray(DOUBLES, sums, y * RowTotals.LANES);
        LongVector mix = VectorRowParts.LANE_MIX.add((first + 1 + head) * FrameChecksum.MIX);
        int blocks = (nx - 2) / RowTotals.LANES;
        for (int k = 0; k < blocks; k++) {
            long at = row + (long) k * RowTotals.LANES * Double.BYTES;
            DoubleVector v = DoubleVector.fromMemorySegment(DOUBLES, field, at, LE);
            LongVector bits = LongVector.fromMemorySegment(VectorRowParts.LONGS, field, at, LE); // see VectorRowParts
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
        sum.intoArray(sums, y * RowTotals.LANES);
        totals.lanesDone(f, y);
    }
}
