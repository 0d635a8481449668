package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.SteeringClient;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.spi.Boundary;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A published header's statistics are its frame's, whichever way each row's were found: from the
 * kernel's own loop plus the edge nodes, or read again because the engine rewrote the row after the
 * kernel (Dirichlet south and north rows, the heater's rows, a heat disc's rows in the one step it
 * is applied). min and max exactly, the mean to rounding; 1 and 2 threads.
 */
class HeaderStatisticsTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @ParameterizedTest(name = "{0} thread(s)")
    @ValueSource(ints = {1, 2})
    void headerStatisticsAreTheFramesOwn(int threads) throws Exception {
        Path segment = dir.resolve("stats-" + threads + ".hgrid");
        SolverConfig config = SolverConfig.builder().size(GridSize.parse("77x61"))
                .boundary(Boundary.parse("north=dirichlet:3,south=dirichlet:-1,west=neumann,east=dirichlet:0.5"))
                .initial(InitialCondition.parse("random:11")).param("heater", "5,5,9,8,2.5").threads(threads).build();
        try (Solver solver = Solver.create(segment, config);
             SteeringClient client = SteeringClient.open(segment)) {
            for (int step = 0; step < 8; step++) {
                long heat = step == 3 ? client.post(SteeringCode.HEAT, "", 10, TimeUnit.SECONDS, 30.5, 20, 4, 7) : -1;
                solver.run(StopCondition.steps(1));
                Frame frame = Grids.latest(segment);
                assertStatisticsOf(frame, "step " + frame.header().step());
                if (heat >= 0) {
                    CommandRecord applied = client.awaitResult(heat, 10, TimeUnit.SECONDS).orElseThrow();
                    assertTrue(applied.applied(), "heat applied: " + applied);
                    assertEquals(7.0, frame.header().stats().get(0).max(), "the disc's rows are in the header");
                }
            }
        }
    }

    private static void assertStatisticsOf(Frame frame, String what) {
        for (int f = 0; f < frame.header().stats().size(); f++) {
            double[] cells = frame.field(f);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : cells) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            double mean = Grids.exactSum(cells) / cells.length;
            FieldStats stats = frame.header().stats().get(f);
            assertEquals(min, stats.min(), what + ": min of field " + f);
            assertEquals(max, stats.max(), what + ": max of field " + f);
            assertEquals(mean, stats.mean(), 1e-13 * Math.max(1, Grids.maxAbs(cells)), what + ": mean of field " + f);
        }
    }
}
