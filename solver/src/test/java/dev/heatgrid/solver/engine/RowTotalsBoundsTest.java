package dev.heatgrid.solver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Lanes whose min and max a loop kept as doubles ({@link RowTotals#boundsDone}) settle a row only
 * where a compare gives what {@link Math#min} and {@link Math#max} give; elsewhere the row must be
 * left for an exact scan, with nothing recorded.
 */
class RowTotalsBoundsTest {
    private static final int LANES = RowTotals.LANES;

    @Test
    void finiteLanesGiveTheirLeastAndMostAndTheLaneOrderedSum() {
        var totals = lanes(new double[]{3, -1, 4, 1, -5, 9, 2, 6}, 0.5);
        assertTrue(totals.boundsDone(0, 1, true));
        assertEquals(-5.0, totals.min(0, 1));
        assertEquals(9.0, totals.max(0, 1));
        assertEquals(((((((0.0 + 0.5) + 0.5) + 0.5) + 0.5) + 0.5) + 0.5 + 0.5) + 0.5, totals.sum(0, 1));
        assertEquals(8 * 7L, totals.checksum(0, 1));
    }

    @Test
    void aNanLaneSumLeavesTheRowForAnExactScan() {
        var totals = lanes(new double[]{3, -1, 4, 1, -5, 9, 2, 6}, 0.5);
        totals.laneSums(0)[1 * LANES + 5] = Double.NaN; // a NaN in lane 5, which its compares passed by
        assertFalse(totals.boundsDone(0, 1, false));
        assertEquals(0.0, totals.sum(0, 1), "nothing recorded");
    }

    @Test
    void aZeroBoundIsSettledOnlyWhereNoCellCanBeNegativeZero() {
        // +0.0 and -0.0 compare equal: which one a lane kept depends on the order it met them in.
        var totals = lanes(new double[]{0.0, 1, 2, 3, 4, 5, 6, 7}, 1);
        assertFalse(totals.boundsDone(0, 1, true), "min 0.0, and a -0.0 may have been passed by");
        totals = lanes(new double[]{-3, -1, -2, -4, -5, -9, -2, -0.0}, 1);
        assertFalse(totals.boundsDone(0, 1, true), "max -0.0, and a +0.0 may have been passed by");
        totals = lanes(new double[]{0.0, 1, 2, 3, 4, 5, 6, 7}, 1);
        assertTrue(totals.boundsDone(0, 1, false));
        assertEquals(0.0, totals.min(0, 1));
    }

    /** Row 1 of a 3-row field whose lane k kept bounds {@code values[k]} and sum {@code laneSum}, checksum lanes 7. */
    private static RowTotals lanes(double[] values, double laneSum) {
        var totals = new RowTotals(LANES + 2, 3, 1);
        double[] bounds = totals.laneBounds(0);
        System.arraycopy(values, 0, bounds, 2 * LANES, LANES);
        System.arraycopy(values, 0, bounds, 3 * LANES, LANES);
        Arrays.fill(totals.laneSums(0), LANES, 2 * LANES, laneSum);
        Arrays.fill(totals.laneWords(0), 3 * LANES + 2 * LANES, 3 * LANES + 3 * LANES, 7L);
        return totals;
    }
}
