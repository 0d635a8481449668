package dev.heatgrid.solver.engine;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;

/**
 * {@link RowScan} with the Vector API: each block of {@link RowTotals#LANES} cells is one vector
 * (AVX-512) or a few ({@link VectorRowParts#PARTS}), so a vector lane is a lane of the sum. Loaded
 * only when the JVM has jdk.incubator.vector; where a block is not a whole number of vectors it
 * defers to the scalar loop.
 */
final class VectorRowScan implements RowScan {
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
            long cell = first + 1 + head + lane0;
            VectorRowParts.keysOfWrittenBlocks(field, cell * Double.BYTES, blocks, cell * FrameChecksum.MIX,
                    totals.laneWords(f), totals.laneSums(f), y * 3 * RowTotals.LANES + lane0, y * RowTotals.LANES + lane0);
        }
        totals.lanesDone(f, y);
    }
}
