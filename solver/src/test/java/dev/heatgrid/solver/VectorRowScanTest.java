package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;

/** The vector row scan adds its lanes in a fixed order, so a row's sum is the same bits every time. */
class VectorRowScanTest {
    @Test
    void sumIsLaneAccumulatorsAddedInLaneOrderThenTheTail() {
        int lanes = DoubleVector.SPECIES_PREFERRED.length();
        int count = 37 * lanes + 3; // a tail the vectors do not cover
        double[] values = new double[count];
        var random = new SplittableRandom(7);
        for (int i = 0; i < count; i++) {
            // Magnitudes 1e-8 .. 1e8: any other order of the additions rounds differently.
            values[i] = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(-8, 9));
        }
        MemorySegment data = MemorySegment.ofArray(values);

        double[] lane = new double[lanes];
        int bound = count - count % lanes;
        for (int i = 0; i < bound; i++) {
            lane[i % lanes] += values[i];
        }
        double expected = 0;
        for (double partial : lane) {
            expected += partial;
        }
        for (int i = bound; i < count; i++) {
            expected += values[i];
        }

        double[] min = new double[1];
        double[] max = new double[1];
        double[] sum = new double[1];
        new VectorRowScan().scan(data, 0, count, min, max, sum, 0);
        double laneOrdered = expected;
        assertEquals(Double.doubleToRawLongBits(laneOrdered), Double.doubleToRawLongBits(sum[0]),
                () -> "sum " + sum[0] + " is not the lane-ordered " + laneOrdered);
        new ScalarRowScan().scan(data, 0, count, min, max, sum, 0);
        double scalarMin = min[0];
        double scalarMax = max[0];
        new VectorRowScan().scan(data, 0, count, min, max, sum, 0);
        assertEquals(scalarMin, min[0]);
        assertEquals(scalarMax, max[0]);
    }
}
