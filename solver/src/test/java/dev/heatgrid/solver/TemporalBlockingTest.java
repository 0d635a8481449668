package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.SteeringClient;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.kernels.ScalarReferenceFtcs;
import dev.heatgrid.solver.spi.Boundary;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Temporal blocking (k steps between publications computed block by block of rows) must give the
 * frames and frame headers of the plain path bit for bit: the scalar ftcs loop, one step at a time,
 * statistics scanned after each chunk, one thread, publishing every step. Grid shapes are not
 * multiples of the vector length or the block height; boundaries cover Dirichlet, Neumann,
 * periodic and mixed, with and without the heater; intervals cover more levels than one tiling
 * round takes. Every run checks that it really blocked, and every published frame's checksums are
 * verified when it is read.
 */
class TemporalBlockingTest {
    private static final KernelCatalog CATALOG = KernelCatalog.installedWith(List.of(new ScalarReferenceFtcs(),
            new CrossKernel(1, true), new CrossKernel(1, false), new CrossKernel(2, true), new CrossKernel(2, false)));

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @ParameterizedTest(name = "{0} {1} heater {2}, {3} threads, every {4}, {5} steps, blocks of {6} rows")
    @CsvSource(delimiter = ';', value = {
            "97x61; dirichlet:0; none; 1; 8; 24; 1",
            "203x97; north=dirichlet:3,south=neumann,west=periodic,east=periodic; 5,5,9,8,2.5; 2; 8; 24; 5",
            "130x131; periodic; none; 3; 5; 20; 3",
            "67x70; neumann; 20,30,24,36,4; 2; 16; 32; 7",
            "100x133; periodic; 40,40,60,41,-1; 2; 20; 40; 4",
            "77x90; dirichlet:1; none; 2; 33; 33; 2",
            "9x61; neumann,north=dirichlet:2; none; 3; 4; 12; 6",
            "1000x40; dirichlet:0; 400,10,600,12,5; 1; 6; 18; 0"})
    void ftcsBlockedEqualsTheScalarLoopOneStepAtATime(String size, String boundary, String heater, int threads, int every,
                                                      int steps, int blockRows) throws Exception {
        Frame plain = run(ScalarReferenceFtcs.NAME, size, boundary, heater, 1, 1, StopCondition.steps(steps), 0, 0);
        Frame blocked = run("ftcs", size, boundary, heater, threads, every, StopCondition.steps(steps), steps - 3, blockRows);
        assertSameFrame(plain, blocked);
    }

    /** A plug-in that declares its radius is blocked too; radius 2 shrinks its trapezoids twice as fast. */
    @ParameterizedTest(name = "radius {0}, {1}, {2} threads, every {3}")
    @CsvSource(delimiter = ';', value = {
            "1; dirichlet:0; 2; 8", "1; periodic; 3; 5", "2; neumann; 2; 6", "2; periodic; 1; 16",
            "2; north=dirichlet:1,south=neumann,west=periodic,east=periodic; 2; 7"})
    void aPluginDeclaringItsRadiusIsBlockedBitForBit(int radius, String boundary, int threads, int every) throws Exception {
        String size = "83x101";
        Frame plain = run("cross" + radius + "-plain", size, boundary, "none", 1, 1, StopCondition.steps(3L * every), 0, 0);
        Frame blocked = run("cross" + radius, size, boundary, "none", threads, every, StopCondition.steps(3L * every), 1,
                every - 1);
        assertSameFrame(plain, blocked);
    }

    /** The largest change is measured on the last level of a blocked interval, so a steady state is found at the same step. */
    @Test
    void aSteadyStateStopsAtTheSameStep() throws Exception {
        StopCondition steady = StopCondition.anyOf(StopCondition.steady(2e-4), StopCondition.steps(4000));
        Frame plain = run(ScalarReferenceFtcs.NAME, "48x40", "north=dirichlet:1,south=neumann,west=neumann,east=neumann",
                "none", 1, 8, steady, 0, 0);
        Frame blocked = run("ftcs", "48x40", "north=dirichlet:1,south=neumann,west=neumann,east=neumann", "none", 2, 8,
                steady, 1, 3);
        assertTrue(plain.header().step() < 4000, "steady before the step limit: " + plain.header().step());
        assertSameFrame(plain, blocked);
    }

    /** Heat steered in before the run goes into the first level of the first blocked interval, as into the first step. */
    @Test
    void steeredHeatLandsInTheSameStep() throws Exception {
        Frame plain = runHeated(ScalarReferenceFtcs.NAME, 1, 1, 0);
        Frame blocked = runHeated("ftcs", 2, 8, 1);
        assertSameFrame(plain, blocked);
    }

    private Frame runHeated(String kernel, int threads, int every, long minBlocked) throws Exception {
        Path path = dir.resolve(kernel + "-heated-" + threads + ".hgrid");
        try (Solver solver = Solver.create(path, config(kernel, "90x70", "neumann", "none", threads, every))) {
            solver.blockRows = 4;
            try (SteeringClient client = SteeringClient.open(path)) {
                client.post(SteeringCode.HEAT, "", 10, TimeUnit.SECONDS, 30, 40, 6, 50);
            }
            solver.run(StopCondition.steps(24));
            assertTrue(solver.blockedSteps >= minBlocked, "blocked steps: " + solver.blockedSteps);
        }
        return Grids.latest(path);
    }

    /** @param blockRows rows per block of the tiling; 0: as many as the cache holds (one block per band on these grids) */
    private Frame run(String kernel, String size, String boundary, String heater, int threads, int every,
                      StopCondition stop, long minBlocked, int blockRows) throws Exception {
        Path path = dir.resolve(kernel + "-" + threads + "-" + every + ".hgrid");
        try (Solver solver = Solver.create(path, config(kernel, size, boundary, heater, threads, every))) {
            solver.blockRows = blockRows;
            solver.run(stop);
            assertTrue(solver.blockedSteps >= minBlocked, kernel + ": " + solver.blockedSteps + " steps blocked, expected at least "
                    + minBlocked);
        }
        return Grids.latest(path);
    }

    private static SolverConfig config(String kernel, String size, String boundary, String heater, int threads, int every) {
        return SolverConfig.builder().catalog(CATALOG).kernel(kernel).size(GridSize.parse(size))
                .boundary(Boundary.parse(boundary)).initial(InitialCondition.parse("random:5")).param("heater", heater)
                .param("alpha", "0.9").dt(TimeStep.fixed(0.05)).threads(threads).publishEvery(every).keep(true).build();
    }

    private static void assertSameFrame(Frame expected, Frame actual) {
        assertEquals(expected.header().step(), actual.header().step(), "step");
        assertEquals(expected.header().time(), actual.header().time(), "simulated time, bit for bit");
        assertEquals(expected.header().params(), actual.header().params());
        assertEquals(expected.header().stats(), actual.header().stats(), "statistics and checksums");
        for (int f = 0; f < expected.fieldNames().size(); f++) {
            assertArrayEquals(expected.field(f), actual.field(f), "field " + f);
        }
    }
}
