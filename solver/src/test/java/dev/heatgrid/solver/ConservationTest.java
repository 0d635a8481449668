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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue test 3: with insulated or periodic edges no heat leaves the grid, so the total (sum of all
 * nodes times dx*dy) stays the same to 1e-12 relative, for the explicit and the implicit kernel.
 * Checked on the frame's data (summed exactly) and on the header's total, which readers trust.
 */
class ConservationTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @ParameterizedTest(name = "{0}, {1}, dt {2}")
    @CsvSource({"ftcs, neumann, auto", "ftcs, periodic, auto", "adi, neumann, 2.0", "adi, periodic, 2.0",
            "ftcs, 'north=neumann,south=neumann,west=periodic,east=periodic', auto"})
    void totalHeatIsConserved(String kernel, String boundary, String dt) throws Exception {
        Path segment = dir.resolve("conserve.hgrid");
        SolverConfig config = SolverConfig.builder().kernel(kernel).size(new GridSize(96, 72)).spacing(0.5, 0.25)
                .boundary(Boundary.parse(boundary)).initial(InitialCondition.parse("random:3")).dt(TimeStep.parse(dt))
                .threads(2).build();
        try (Solver solver = Solver.create(segment, config)) {
            Frame start = Grids.latest(segment);
            double initial = Grids.exactSum(start.field(0)) * 0.5 * 0.25;
            assertEquals(initial, start.header().stats().get(0).total(), Math.abs(initial) * 1e-15);
            solver.run(StopCondition.steps(500));
            Frame end = Grids.latest(segment);
            double total = Grids.exactSum(end.field(0)) * 0.5 * 0.25;
            FieldStats header = end.header().stats().get(0);
            double relative = Math.abs(total - initial) / Math.abs(initial);
            double headerRelative = Math.abs(header.total() - initial) / Math.abs(initial);
            System.out.printf("%s %s: total heat %.15g -> %.15g, relative change %.2e (header %.2e); min %.4f max %.4f%n",
                    kernel, boundary, initial, total, relative, headerRelative, header.min(), header.max());
            assertTrue(relative <= 1e-12, "relative change of total heat " + relative);
            assertTrue(headerRelative <= 1e-12, "relative change of the header's total " + headerRelative);
            assertTrue(header.max() - header.min() < 0.9, "500 steps smoothed the random field: " + header);
        }
    }
}
