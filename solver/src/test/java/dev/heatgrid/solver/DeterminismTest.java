package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.spi.Boundary;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue test 5: the number of threads changes how rows are split among workers, never a bit of the
 * result: frames and frame headers (statistics, checksums) are identical for 1, 2 and 3 threads.
 */
class DeterminismTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @ParameterizedTest(name = "{0} {1} {2} publish-every {3}")
    @CsvSource(delimiter = ';', value = {
            "ftcs; 203x97; north=dirichlet:3,south=neumann,west=periodic,east=periodic; 1",
            "ftcs; 64x64; neumann; 3",
            "ftcs; 101x91; periodic; 8",
            "adi; 97x131; north=dirichlet:1,south=dirichlet:0,west=neumann,east=neumann; 1",
            "adi; 50x40; periodic; 2",
            "spectral; 65x33; dirichlet:0; 1"})
    void oneTwoAndThreeThreadsGiveBitIdenticalFrames(String kernel, String size, String boundary, int publishEvery)
            throws Exception {
        Frame reference = null;
        for (int threads : new int[]{1, 2, 3}) {
            Path segment = dir.resolve(kernel + "-" + threads + ".hgrid");
            SolverConfig config = SolverConfig.builder().kernel(kernel).size(GridSize.parse(size))
                    .boundary(Boundary.parse(boundary)).initial(InitialCondition.parse("random:7"))
                    .param("heater", kernel.equals("spectral") ? "none" : "5,5,9,8,2.5")
                    .threads(threads).publishEvery(publishEvery).build();
            try (Solver solver = Solver.create(segment, config)) {
                solver.run(StopCondition.steps(40));
                Frame frame = Grids.latest(segment);
                if (reference == null) {
                    reference = frame;
                    continue;
                }
                assertEquals(reference.header().step(), frame.header().step());
                assertEquals(reference.header().time(), frame.header().time());
                assertEquals(reference.header().stats(), frame.header().stats(), threads + " threads: header statistics");
                assertEquals(reference.header().params(), frame.header().params());
                assertArrayEquals(reference.field(0), frame.field(0), threads + " threads: frame data");
            }
        }
    }
}
