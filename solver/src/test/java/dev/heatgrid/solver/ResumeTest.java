package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.spi.Boundary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue test 6: 200 steps in one run equal 100 steps, a new process resuming, and 100 more, bit
 * for bit: everything the next step depends on comes from the frame and its header. Parameters
 * differ from the defaults (alpha, dt, heater) so that a resume falling back to defaults would show.
 */
class ResumeTest {
    private static final List<String> JVM_ARGS = List.of("--add-modules", "jdk.incubator.vector");

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @ParameterizedTest(name = "{0}, publish every {1}")
    @CsvSource({"ftcs, 3", "ftcs, 8", "adi, 1"})
    void twoHundredStepsEqualOneHundredThenResumeInANewProcessThenOneHundred(String kernel, int publishEvery)
            throws Exception {
        String[] options = {"--size=97x61", "--kernel=" + kernel, "--param=alpha=0.5", "--dt=" + (kernel.equals("adi") ? "3.1" : "0.45"),
                "--boundary=north=dirichlet:2,south=neumann,west=periodic,east=periodic", "--init=random:11",
                "--param=heater=40,20,44,23,5", "--threads=2", "--publish-every=" + publishEvery};
        Path whole = dir.resolve("whole.hgrid");
        try (JvmProcess run = JvmProcess.start(JVM_ARGS, SolverChildMain.class, args("create", whole, options,
                "--keep=true", "--steps=200"))) {
            assertEquals(0, run.waitFor(Duration.ofSeconds(60)), run.stderr());
        }
        Path split = dir.resolve("split.hgrid");
        try (JvmProcess first = JvmProcess.start(JVM_ARGS, SolverChildMain.class, args("create", split, options,
                "--keep=true", "--steps=100"))) {
            assertEquals(0, first.waitFor(Duration.ofSeconds(60)), first.stderr());
        }
        assertEquals(100, Grids.latest(split).header().step());
        // The resuming process gives no grid options: it must take them all from the segment.
        try (JvmProcess second = JvmProcess.start(JVM_ARGS, SolverChildMain.class, "resume", split.toString(), "--steps=100",
                "--threads=1")) {
            assertEquals(0, second.waitFor(Duration.ofSeconds(60)), second.stderr());
            assertTrue(second.stdout().contains("READY step=100"), second.stdout());
        }
        Frame expected = Grids.latest(whole);
        Frame actual = Grids.latest(split);
        assertEquals(200, expected.header().step());
        assertEquals(expected.header().step(), actual.header().step());
        assertEquals(expected.header().time(), actual.header().time(), "simulated time, bit for bit");
        assertEquals(expected.header().params(), actual.header().params());
        assertEquals(expected.header().stats(), actual.header().stats());
        assertArrayEquals(expected.field(0), actual.field(0), "frame data");
        System.out.println(kernel + ": 200 steps == 100 + resume + 100, header " + actual.header().params().replace('\n', ' '));
    }

    private static String[] args(String mode, Path path, String[] options, String... more) {
        var all = new ArrayList<String>();
        all.add(mode);
        all.add(path.toString());
        all.addAll(List.of(options));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void resumeTakesEverythingFromTheSegmentAndRefusesOptionsThatDisagree() throws Exception {
        Path segment = dir.resolve("kept.hgrid");
        SolverConfig original = SolverConfig.builder().size(new GridSize(40, 30)).param("alpha", "0.5").dt(TimeStep.fixed(0.3))
                .boundary(Boundary.parse("neumann")).param("heater=1,1,3,3,9").buffers(3).keep(true).build();
        try (Solver solver = Solver.create(segment, original)) {
            solver.run(StopCondition.steps(7));
        }
        refused("size 41x30 disagrees with segment " + segment + ", which has 40x30; a resumed run keeps the segment's"
                + " size", SolverConfig.builder().size(new GridSize(41, 30)), segment);
        refused("kernel adi disagrees", SolverConfig.builder().kernel("adi"), segment);
        refused("parameter alpha 0.6 disagrees with segment " + segment + ", which has alpha=0.5",
                SolverConfig.builder().param("alpha", "0.6"), segment);
        refused("dt 0.2 disagrees", SolverConfig.builder().dt(TimeStep.fixed(0.2)), segment);
        refused("dt auto (= 0.4) disagrees", SolverConfig.builder().dt(TimeStep.AUTO), segment);
        refused("boundary dirichlet:0 disagrees", SolverConfig.builder().boundary(Boundary.ZERO_DIRICHLET), segment);
        refused("heater none disagrees", SolverConfig.builder().param("heater=none"), segment);
        refused("buffers 2 disagrees", SolverConfig.builder().buffers(2), segment);
        refused("keep false disagrees", SolverConfig.builder().keep(false), segment);
        refused("initial condition hotspot:1.0 cannot be given to a resumed run",
                SolverConfig.builder().initial(InitialCondition.parse("hotspot")), segment);
        // Options that agree are fine, and --steps N means N more.
        SolverConfig agreeing = SolverConfig.builder().size(new GridSize(40, 30)).param("alpha", "0.5").dt(TimeStep.fixed(0.3))
                .boundary(Boundary.parse("neumann")).param("heater=1,1,3,3,9").buffers(3).keep(true).threads(2).build();
        try (Solver solver = Solver.resume(segment, agreeing)) {
            assertEquals(7, solver.step());
            assertEquals(0.5, solver.parameters().real("alpha"));
            assertEquals(0.3, solver.dt());
            RunResult result = solver.run(StopCondition.steps(5));
            assertEquals(12, result.step());
            assertEquals(5, result.stepsDone());
        }
        var missing = assertThrows(IOException.class, () -> Solver.resume(dir.resolve("nope.hgrid"), SolverConfig.builder().build()));
        System.out.println("resume of a missing segment: " + missing.getMessage());
    }

    private static void refused(String expected, SolverConfig.Builder config, Path segment) {
        var e = assertThrows(IllegalArgumentException.class, () -> Solver.resume(segment, config.build()).close());
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
        assertTrue(Files.exists(segment), "a refused resume leaves the segment alone");
    }
}
