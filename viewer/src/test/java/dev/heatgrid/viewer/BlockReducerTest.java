package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FrameChecksum;
import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BlockReducerTest {
    @Test
    void fitsTheTargetWithTheSmallestBlocks() {
        assertEquals(new BlockGrid(512, 512, 1, 1), BlockGrid.fitting(512, 512, 600, 600));
        BlockGrid big = BlockGrid.fitting(2048, 1000, 600, 500);
        assertEquals(4, big.blockX());
        assertEquals(2, big.blockY());
        assertEquals(512, big.width());
        assertEquals(500, big.height());
        assertTrue(big.downsampled());
    }

    @Test
    void meanAndMaxMatchABruteForceReductionIncludingPartialEdgeBlocks() {
        int nx = 37;
        int ny = 23;
        double[] field = new Random(7).doubles((long) nx * ny, -5, 5).toArray();
        // 4 x 3: 10 x 8 blocks, the last column and row partial; blockX 2 has a loop of its own, where
        // 2 x 2 blocks divide by a power of two and 2 x 3 ones do not.
        for (int[] block : new int[][] {{4, 3}, {2, 2}, {2, 3}}) {
            assertReducesLikeBruteForce(field, nx, ny, block[0], block[1]);
        }
    }

    private static void assertReducesLikeBruteForce(double[] field, int nx, int ny, int blockX, int blockY) {
        var grid = new BlockGrid(nx, ny, blockX, blockY);
        var reducer = new BlockReducer();
        for (Reduction reduction : Reduction.values()) {
            double[] out = new double[grid.width() * grid.height()];
            long checksum = reducer.reduce(MemorySegment.ofArray(field), grid, reduction, out);
            assertEquals(FrameChecksum.of(field), checksum, "checksum of the whole field, computed in the same pass");
            double[] expected = new double[out.length];
            for (int by = 0; by < grid.height(); by++) {
                for (int bx = 0; bx < grid.width(); bx++) {
                    double sum = 0;
                    double max = Double.NEGATIVE_INFINITY;
                    int n = 0;
                    for (int y = by * blockY; y < Math.min(ny, (by + 1) * blockY); y++) {
                        for (int x = bx * blockX; x < Math.min(nx, (bx + 1) * blockX); x++) {
                            sum += field[y * nx + x];
                            max = Math.max(max, field[y * nx + x]);
                            n++;
                        }
                    }
                    expected[by * grid.width() + bx] = reduction == Reduction.MEAN ? sum / n : max;
                }
            }
            assertArrayEquals(expected, out, 1e-12, reduction.id() + " of " + blockX + " x " + blockY + " blocks");
        }
    }

    @Test
    void oneHotCellSurvivesMaxButIsDilutedByMean() {
        int n = 64;
        double[] field = new double[n * n];
        field[17 * n + 45] = 1.0;
        var grid = new BlockGrid(n, n, 8, 8);
        double[] max = new double[64];
        double[] mean = new double[64];
        new BlockReducer().reduce(MemorySegment.ofArray(field), grid, Reduction.MAX, max);
        new BlockReducer().reduce(MemorySegment.ofArray(field), grid, Reduction.MEAN, mean);
        assertEquals(1.0, max[2 * 8 + 5]);
        assertEquals(1.0 / 64, mean[2 * 8 + 5], 1e-15);
    }

    @Test
    void paintingPutsRowZeroAtTheBottomAndNanInItsOwnColour() {
        double[] values = {0, 1, Double.NaN, 0.5}; // 2 x 2: row 0 = {0, 1}, row 1 = {NaN, 0.5}
        int[] pixels = new int[4];
        HeatImagePainter.paint(values, 2, 2, new ValueRange(0, 1), ColorMap.VIRIDIS, pixels);
        assertEquals(ColorMap.NAN_ARGB, pixels[0], "grid row 1 is the top image row");
        assertEquals(ColorMap.VIRIDIS.argb(0.5), pixels[1]);
        assertEquals(ColorMap.VIRIDIS.bottomArgb(), pixels[2], "grid row 0 is the bottom image row");
        assertEquals(ColorMap.VIRIDIS.topArgb(), pixels[3], "the range's maximum takes the top colour");
    }
}
