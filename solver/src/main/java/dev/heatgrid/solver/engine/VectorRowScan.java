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
        long first = (long) y * nx;
        long row = (first + 1) * Double.BYTES; // the interior starts at x = 1
        int cells = nx - 2;
        LongVector lo = LongVector.broadcast(VectorRowParts.LONGS, VectorRowParts.NO_MIN);
        LongVector hi = LongVector.broadcast(VectorRowParts.LONGS, VectorRowParts.NO_MAX);
        DoubleVector sum = DoubleVector.zero(DOUBLES);
        LongVector check = LongVector.zero(VectorRowParts.LONGS);
        LongVector mix = VectorRowParts.LANE_MIX.add((first + 1) * FrameChecksum.MIX);
        int blocks = cells / RowTotals.LANES;
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
        long[] words = totals.laneWords(f);
        int at = y * 3 * RowTotals.LANES;
        lo.intoArray(words, at);
        hi.intoArray(words, at + RowTotals.LANES);
        check.intoArray(words, at + 2 * RowTotals.LANES);
        sum.intoArray(totals.laneSums(f), y * RowTotals.LANES);
        if (blocks * RowTotals.LANES < cells) { // the last LANES interior cells, for the ones after the last block
            DoubleVector.fromMemorySegment(DOUBLES, field, (first + nx - 1 - RowTotals.LANES) * Double.BYTES, LE)
                    .intoArray(totals.lastCells(f), y * RowTotals.LANES);
        }
        totals.lanesDone(f, y, 1 + blocks * RowTotals.LANES);
    }
}
