package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.spi.Boundary;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/FORMAT.md section 3, statistics: a reader that recomputes mean and total from the cells, in
 * its own order, agrees with the header within (2n + 4) * 2^-53 * sum |cell| (divided by n for the
 * mean, times dx*dy for the total), n = nx*ny. The bound is relative to the sum of magnitudes, not to
 * the result, so it holds when the cells cancel and the total is almost zero (a bound relative to the
 * total fails there). Checked on the solver's frames, whatever order its row bands add up in.
 */
class StatisticsToleranceTest {
    private static final double U = 0x1p-53;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 3})
    void recomputedMeanAndTotalAgreeWithinTheBoundEvenWhenCellsCancel(int threads) throws Exception {
        Path segment = dir.resolve("cancel-" + threads + ".hgrid");
        SolverConfig config = SolverConfig.builder().size(new GridSize(257, 131)).spacing(0.3, 0.7)
                .boundary(Boundary.parse("periodic")).initial(InitialCondition.parse("sine:2,2")).threads(threads)
                .build();
        try (Solver solver = Solver.create(segment, config)) {
            solver.run(StopCondition.steps(40));
            Frame frame = Grids.latest(segment);
            double[] cells = frame.field(0);
            int n = cells.length;
            double sum = 0;
            double magnitudes = 0;
            for (int i = n - 1; i >= 0; i--) { // backwards: surely not the writer's order
                sum += cells[i];
                magnitudes += Math.abs(cells[i]);
            }
            FieldStats stats = frame.header().stats().get(0);
            double bound = (2.0 * n + 4) * U * magnitudes;
            double cellArea = 0.3 * 0.7;
            System.out.printf("%d thread(s): total %.3e, sum |cell| dx dy %.3e, header - recomputed: total %.2e,"
                    + " mean %.2e; bound %.2e, %.2e%n", threads, stats.total(), magnitudes * cellArea,
                    stats.total() - sum * cellArea, stats.mean() - sum / n, bound * cellArea, bound / n);
            assertTrue(Math.abs(stats.total()) < 1e-6 * magnitudes * cellArea, "the cells should cancel: " + stats);
            assertTrue(Math.abs(stats.total() - sum * cellArea) <= bound * cellArea, "total " + stats.total()
                    + " vs recomputed " + sum * cellArea);
            assertTrue(Math.abs(stats.mean() - sum / n) <= bound / n, "mean " + stats.mean() + " vs " + sum / n);
            assertEquals(Grids.exactSum(cells) * cellArea, stats.total(), bound * cellArea);
        }
    }
}
