package dev.heatgrid.solver.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tiling's order is checked by replaying it on bookkeeping instead of numbers: which level each
 * row of each of the two frames holds. Every row of a level must be computed exactly once, only
 * from rows of the level before that are still in their frame (not yet overwritten two levels
 * later), and in the first pass a band may read and write only its own rows, so that workers need
 * no synchronisation. Every row of the last level must be reported finished exactly once, in whole
 * grains, once it holds the last level, by the band that wrote it or after the seams. The numeric
 * bit-identity (statistics included) is TemporalBlockingTest's.
 */
class TemporalTilingTest {
    @ParameterizedTest(name = "ny {0}, {1} threads, r {2}, k {3}, H {4}, periodic {5}, grain {6}")
    @CsvSource({
            "40, 1, 1, 4, 1, false, 1", "40, 1, 1, 4, 3, true, 3", "97, 2, 1, 8, 5, false, 4", "97, 2, 1, 8, 5, true, 16",
            "64, 2, 1, 4, 100, false, 64", "131, 3, 1, 5, 7, true, 2", "131, 3, 2, 4, 6, false, 5",
            "200, 2, 2, 6, 9, true, 7", "4096, 2, 1, 8, 22, false, 1", "4096, 2, 1, 16, 4, true, 4",
            "21, 2, 1, 4, 2, false, 3", "10, 1, 1, 4, 1, true, 1", "128, 2, 1, 16, 4, true, 16",
            "61, 1, 1, 8, 3, false, 21", "61, 3, 1, 4, 2, true, 21", "97, 2, 1, 8, 5, false, 200"})
    void everyRowOfEveryLevelOnceFromRowsStillThere(int ny, int threads, int radius, int levels, int blockRows,
                                                    boolean periodic, int grain) {
        assertTrue(TemporalTiling.fits(ny, threads, radius, levels));
        var tiling = new TemporalTiling(ny, threads, radius, levels, blockRows, periodic, grain);
        var replay = replay(tiling, ny, threads, radius, levels, periodic, grain);
        for (int y = 0; y < ny; y++) {
            assertEquals(levels, replay.frame[levels % 2][y], "row " + y + " of the last level's frame");
            assertTrue(replay.done[levels][y], "row " + y + " reached level " + levels);
            assertTrue(replay.finished[y], "row " + y + " reported finished");
        }
    }

    /** At 4096 rows and one row per unit, the bands read back all but the rows the seam wrote. */
    @Test
    void theRestIsTheSeamsRowsOnly() {
        var tiling = new TemporalTiling(4096, 2, 1, 16, 4, false, 1);
        assertEquals(1, tiling.rests());
        assertEquals(2 * 16, replay(tiling, 4096, 2, 1, 16, false, 1).finishedInRest, "rows [2048 - 16, 2048 + 16)");
    }

    /** Runs the tiling's passes as the engine would, one worker after another. */
    private static Replay replay(TemporalTiling tiling, int ny, int threads, int radius, int levels, boolean periodic,
                                 int grain) {
        var replay = new Replay(ny, radius, levels, periodic, grain);
        Work bands = tiling.bands(replay);
        for (int w = 0; w < threads; w++) {
            int first = StepEngine.bandStart(ny, w, threads); // the bands the engine would run
            int end = StepEngine.bandStart(ny, w + 1, threads);
            replay.band(first, end);
            bands.run(w, first, end);
        }
        replay.band(0, ny);
        Work seams = tiling.seams(replay);
        assertEquals(threads - 1 + (periodic ? 1 : 0), seams.lines());
        for (int seam = 0; seam < seams.lines(); seam++) {
            replay.seam = seam; // seams run in parallel: none may read what another one writes
            seams.run(0, seam, seam + 1);
        }
        replay.seam = -1;
        replay.inRest = true;
        if (tiling.rests() > 0) {
            Work rest = tiling.rest(replay);
            assertEquals(tiling.rests(), rest.lines());
            rest.run(0, 0, rest.lines());
        }
        return replay;
    }

    @ParameterizedTest(name = "ny {0}, {1} threads, k {2}")
    @CsvSource({"15, 1, 8", "33, 2, 8", "9, 1, 4"})
    void tooFewRowsForTheLevelsDoNotFit(int ny, int threads, int levels) {
        assertFalse(TemporalTiling.fits(ny, threads, 1, levels));
    }

    /** Tracks what each frame row holds; frame 1 holds odd levels, frame 0 even ones, level 0 is a third frame. */
    private static final class Replay implements TemporalTiling.Rows {
        final int ny;
        final int radius;
        final boolean periodic;
        final int[][] frame;
        final boolean[][] done;
        final int[] writtenBySeam;
        final int levels;
        final int grain;
        final boolean[] finished;
        boolean inRest;
        int finishedInRest;
        int bandFirst;
        int bandEnd;
        int seam = -1;

        Replay(int ny, int radius, int levels, boolean periodic, int grain) {
            this.ny = ny;
            this.levels = levels;
            this.grain = grain;
            this.finished = new boolean[ny];
            this.radius = radius;
            this.periodic = periodic;
            this.frame = new int[2][ny];
            this.done = new boolean[levels + 1][ny];
            java.util.Arrays.fill(frame[0], -1);
            java.util.Arrays.fill(frame[1], -1);
            this.writtenBySeam = new int[ny];
            java.util.Arrays.fill(writtenBySeam, -1);
        }

        void band(int first, int end) {
            bandFirst = first;
            bandEnd = end;
        }

        @Override
        public void advance(int level, int first, int end) {
            if (first >= end || first < 0 || end > ny) {
                fail("level " + level + ": rows " + first + ".." + end);
            }
            for (int y = first; y < end; y++) {
                if (y < bandFirst || y >= bandEnd) {
                    fail("level " + level + " row " + y + " written outside the band " + bandFirst + ".." + bandEnd);
                }
                for (int d = -radius; d <= radius; d++) {
                    int z = neighbour(y + d);
                    if (level > 1) {
                        if (z < bandFirst || z >= bandEnd) {
                            fail("level " + level + " row " + y + " reads row " + z + " outside the band");
                        }
                        assertEquals(level - 1, frame[(level - 1) % 2][z], "level " + level + " row " + y
                                + " reads row " + z + " of level " + (level - 1));
                        if (writtenBySeam[z] >= 0 && writtenBySeam[z] != seam) {
                            fail("seam " + seam + " reads row " + z + ", written by seam " + writtenBySeam[z]);
                        }
                    }
                }
            }
            for (int y = first; y < end; y++) {
                assertFalse(done[level][y], "level " + level + " row " + y + " computed twice");
                done[level][y] = true;
                frame[level % 2][y] = level;
                if (seam >= 0) {
                    writtenBySeam[y] = seam;
                }
            }
        }

        @Override
        public void finished(int first, int end) {
            if (first >= end || first % grain != 0 || end % grain != 0 && end != ny) {
                fail("finished rows " + first + ".." + end + " are not whole grains of " + grain);
            }
            for (int y = first; y < end; y++) {
                if (y < bandFirst || y >= bandEnd) {
                    fail("row " + y + " reported finished outside the band " + bandFirst + ".." + bandEnd);
                }
                assertEquals(levels, frame[levels % 2][y], "row " + y + " reported finished before it holds the last level");
                assertFalse(finished[y], "row " + y + " reported finished twice");
                finished[y] = true;
                finishedInRest += inRest ? 1 : 0;
            }
        }

        /** Rows beyond the edges: the edge row itself (Dirichlet, Neumann) or the other end (periodic). */
        private int neighbour(int z) {
            if (periodic) {
                return Math.floorMod(z, ny);
            }
            return Math.clamp(z, 0, ny - 1);
        }
    }
}
