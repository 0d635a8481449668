package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.kernels.FtcsKernel;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.ParameterSpec;
import dev.heatgrid.solver.spi.StabilityRule;
import dev.heatgrid.solver.spi.Stepper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stop conditions, publish-every, progress, stop and abandon, and set-ups refused before any file exists. */
class RunControlTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private SolverConfig.Builder small() {
        return SolverConfig.builder().size(new GridSize(64, 48)).initial(InitialCondition.parse("random:4"))
                .boundary(Boundary.parse("north=dirichlet:1,south=dirichlet:0,west=neumann,east=neumann")).threads(2);
    }

    @Test
    void publishingEveryKStepsNeverTouchesThePublishedFrameAndComputesTheSameSteps() throws Exception {
        Map<Long, double[]> reference = new HashMap<>();
        Path ref = dir.resolve("ref.hgrid");
        try (Solver solver = Solver.create(ref, small().publishEvery(1).build())) {
            solver.run(StopCondition.steps(20), new RunControl(), p -> reference.put(p.step(), latest(ref).field(0).clone()));
        }
        Path every = dir.resolve("every3.hgrid");
        List<Long> published = new ArrayList<>();
        try (Solver solver = Solver.create(every, small().publishEvery(3).build())) {
            long generation = solver.generation();
            RunResult result = solver.run(StopCondition.steps(20), new RunControl(), p -> {
                Frame f = latest(every); // checksum-verified: the frame published is whole and untouched
                published.add(f.header().step());
                assertArrayEquals(reference.get(f.header().step()), f.field(0), "step " + f.header().step());
            });
            assertEquals(List.of(3L, 6L, 9L, 12L, 15L, 18L, 20L), published, "the last interval shrinks to land on step 20");
            assertEquals(generation + 7, result.generation());
        }
    }

    @Test
    void untilTimeSteadyStateAndDurationEndRuns() throws Exception {
        try (Solver solver = Solver.create(dir.resolve("until.hgrid"), small().dt(TimeStep.fixed(0.1)).publishEvery(7).build())) {
            RunResult r = solver.run(StopCondition.untilTime(2.0));
            assertEquals(StopReason.TIME_REACHED, r.reason());
            assertEquals(20, r.step(), "0.1 twenty times lands on 2.0 within rounding");
            assertEquals(2.0, r.time(), 1e-12);
            assertEquals(StopReason.TIME_REACHED, solver.run(StopCondition.untilTime(1.0)).reason(), "already past");
            assertEquals(20, solver.step());
        }
        try (Solver solver = Solver.create(dir.resolve("steady.hgrid"), small().build())) {
            List<Double> deltas = new ArrayList<>();
            RunResult r = solver.run(StopCondition.steady(1e-9), new RunControl(), p -> deltas.add(p.maxDelta()));
            assertEquals(StopReason.STEADY_STATE, r.reason());
            assertTrue(deltas.getLast() < 1e-9 && deltas.get(deltas.size() - 2) >= 1e-9, "stops at the first step below");
            Frame f = latest(solver.path());
            // max |du| < 1e-9 per step leaves ~1e-9 / (slowest decay rate ~8.9e-4 per step) ~ 1e-6 to go
            assertEquals(24.0 / 47, f.get(0, 30, 24), 1e-5, "linear profile from 0 (row 0) to 1 (row 47)");
        }
        try (Solver solver = Solver.create(dir.resolve("duration.hgrid"), small().build())) {
            RunResult r = solver.run(StopCondition.duration(Duration.ofMillis(300)));
            assertEquals(StopReason.DURATION_ELAPSED, r.reason());
            assertTrue(r.elapsed().toMillis() >= 300, "ran " + r.elapsed());
            assertTrue(r.stepsDone() > 0 && r.mlups() > 0, r.summary());
        }
    }

    @Test
    void progressCarriesWhatAProgressBarShows() throws Exception {
        List<Progress> seen = new ArrayList<>();
        try (Solver solver = Solver.create(dir.resolve("progress.hgrid"), small().publishEvery(10).build())) {
            RunResult r = solver.run(StopCondition.steps(100), new RunControl(), seen::add);
            assertEquals(10, seen.size());
            Progress half = seen.get(4);
            assertEquals(50, half.stepsDone());
            assertEquals(0.5, half.fraction(), 1e-12);
            assertNotNull(half.eta());
            assertTrue(half.mlups() > 0);
            assertEquals(50 * solver.dt(), half.time(), 1e-12);
            assertFalse(half.paused());
            assertEquals(1.0, seen.getLast().fraction());
            assertTrue(r.summary().startsWith("steps done after 100 steps: step 100"), r.summary());
        }
    }

    @Test
    void stopFromAnotherThreadPublishesPendingStepsAndAbandonDoesNot() throws Exception {
        try (Solver solver = Solver.create(dir.resolve("stop.hgrid"), small().publishEvery(1000).build())) {
            RunControl control = new RunControl();
            Thread stopper = Thread.ofPlatform().start(() -> {
                sleep(200);
                control.requestStop(StopReason.REQUESTED);
            });
            RunResult r = solver.run(StopCondition.untilStopped(), control, ProgressListener.NONE);
            stopper.join();
            assertEquals(StopReason.REQUESTED, r.reason());
            assertEquals(r.stepsDone(), r.step(), "every step taken was published on stop");
            assertEquals(r.step(), latest(solver.path()).header().step());
        }
        Path abandoned = dir.resolve("abandon.hgrid");
        try (Solver solver = Solver.create(abandoned, small().publishEvery(1_000_000).build())) {
            RunControl control = new RunControl();
            Thread stopper = Thread.ofPlatform().start(() -> {
                sleep(200);
                control.abandon(StopReason.INTERRUPTED);
            });
            RunResult r = solver.run(StopCondition.untilStopped(), control, ProgressListener.NONE);
            stopper.join();
            assertEquals(StopReason.INTERRUPTED, r.reason());
            assertTrue(r.stepsDone() > 0);
            assertEquals(0, r.step(), "nothing published: the initial frame stays the newest");
            assertEquals(0, latest(abandoned).header().step());
            // The solver continues from the published frame, as a resume would.
            RunResult again = solver.run(StopCondition.steps(5));
            assertEquals(5, again.step());
        }
    }

    /**
     * A stop between publications publishes the newest step's own values, whether that step went to
     * the back buffer (after step 8 of an interval of 100) or to scratch and must be copied (after
     * step 7). The stop is requested from inside the step, so it lands after a known step.
     */
    @ParameterizedTest(name = "stop after step {0}")
    @ValueSource(ints = {7, 8})
    void aStopBetweenPublicationsPublishesTheNewestStepsValues(int stopAfter) throws Exception {
        Path ref = dir.resolve("ref-" + stopAfter + ".hgrid");
        try (Solver solver = Solver.create(ref, small().keep(true).build())) {
            solver.run(StopCondition.steps(stopAfter));
        }
        RunControl control = new RunControl();
        Kernel stopping = new StoppingFtcs(control, stopAfter);
        Path stopped = dir.resolve("stopped-" + stopAfter + ".hgrid");
        try (Solver solver = Solver.create(stopped, small().catalog(KernelCatalog.installedWith(List.of(stopping)))
                .kernel(stopping.name()).publishEvery(100).keep(true).build())) {
            RunResult r = solver.run(StopCondition.untilStopped(), control, ProgressListener.NONE);
            assertEquals(StopReason.REQUESTED, r.reason());
            assertEquals(stopAfter, r.step());
        }
        Frame expected = latest(ref);
        Frame actual = latest(stopped);
        assertEquals(stopAfter, actual.header().step());
        assertEquals(expected.header().stats(), actual.header().stats(), "statistics and checksum");
        assertArrayEquals(expected.field(0), actual.field(0), "the values of step " + stopAfter);
    }

    /** ftcs that asks {@code control} to stop while it computes step {@code stopAfter}. */
    private record StoppingFtcs(RunControl control, long stopAfter, FtcsKernel ftcs) implements Kernel {
        StoppingFtcs(RunControl control, long stopAfter) {
            this(control, stopAfter, new FtcsKernel());
        }

        @Override
        public String name() {
            return "ftcs-stopping";
        }

        @Override
        public String description() {
            return "ftcs that requests a stop at a given step";
        }

        @Override
        public List<ParameterSpec> parameters() {
            return ftcs.parameters();
        }

        @Override
        public StabilityRule stability() {
            return ftcs.stability();
        }

        @Override
        public Stepper prepare(KernelSetup setup) {
            Stepper inner = ftcs.prepare(setup);
            return (frame, pass, first, end) -> {
                if (frame.step() + 1 == stopAfter) {
                    control.requestStop(StopReason.REQUESTED);
                }
                inner.step(frame, pass, first, end);
            };
        }
    }

    @Test
    void anInitialConditionBeyondTheCellValueLimitIsRefused() throws Exception {
        Path init = dir.resolve("huge.npy");
        writeNpy(init, 8, 8, i -> (i % 2 == 0 ? 1 : -1) * 1.7e308);
        Path segment = dir.resolve("diverge.hgrid");
        var e = assertThrows(IllegalArgumentException.class, () -> Solver.create(segment, SolverConfig.builder()
                .initial(new InitialCondition.FromFile(init)).boundary(Boundary.parse("neumann")).threads(1).build()));
        assertTrue(e.getMessage().startsWith("the initial condition of field T: its largest magnitude 1.7E308 is out of range;"
                + " allowed -4.39e+304 .. 4.39e+304 on this 8x8 grid"), e.getMessage());
        assertFalse(Files.exists(segment), "a refused set-up left a file");
    }

    @Test
    void badSetUpsAreRefusedBeforeAnyFileIsCreated() {
        Path segment = dir.resolve("refused.hgrid");
        var unstable = assertThrows(IllegalArgumentException.class,
                () -> Solver.create(segment, small().dt(TimeStep.fixed(0.3)).build()));
        assertEquals("dt 0.3 is unstable for kernel ftcs: the rule alpha*dt*(1/dx^2 + 1/dy^2) <= 1/2 (r = alpha*dt/dx^2 <= 1/4"
                + " when dx = dy) allows dt <= 0.25 here (alpha=1.0, dx=1.0, dy=1.0); dt auto would be 0.2", unstable.getMessage());
        var spectralSize = assertThrows(IllegalArgumentException.class,
                () -> Solver.create(segment, SolverConfig.builder().kernel("spectral").size(new GridSize(100, 65)).build()));
        assertEquals("kernel spectral needs 2^k+1 nodes per side (e.g. 257, 513), but nx is 100; nearest: 65 or 129",
                spectralSize.getMessage());
        var spectralEdges = assertThrows(IllegalArgumentException.class, () -> Solver.create(segment,
                SolverConfig.builder().kernel("spectral").size(new GridSize(65, 65)).boundary(Boundary.parse("neumann")).build()));
        assertEquals("kernel spectral needs dirichlet:0 on every edge, but north is neumann", spectralEdges.getMessage());
        var heater = assertThrows(IllegalArgumentException.class,
                () -> Solver.create(segment, small().param("heater=60,40,70,44,5").build()));
        assertTrue(heater.getMessage().contains("reaches outside the 64x48 grid"), heater.getMessage());
        var tooBig = assertThrows(IOException.class,
                () -> Solver.create(segment, SolverConfig.builder().size(new GridSize(1 << 16, 1 << 16)).build()));
        assertTrue(tooBig.getMessage().startsWith("not enough space for segment " + segment + ": it needs 96.00 GiB"),
                tooBig.getMessage());
        assertFalse(Files.exists(segment), "nothing was created");
    }

    @Test
    void dirichletEdgesAndTheHeaterHoldTheirValues() throws Exception {
        try (Solver solver = Solver.create(dir.resolve("held.hgrid"), SolverConfig.builder().size(new GridSize(20, 10))
                .boundary(Boundary.parse("north=dirichlet:5,south=dirichlet:-1,west=dirichlet:2,east=neumann"))
                .param("heater=8,3,10,5,7.5").initial(InitialCondition.parse("random:2")).threads(2).build())) {
            solver.run(StopCondition.steps(30));
            Frame f = latest(solver.path());
            for (int x = 0; x < 20; x++) {
                assertEquals(5, f.get(0, x, 9), "north row owns its corners too");
                assertEquals(-1, f.get(0, x, 0));
            }
            for (int y = 1; y < 9; y++) {
                assertEquals(2, f.get(0, 0, y));
            }
            for (int y = 3; y <= 5; y++) {
                for (int x = 8; x <= 10; x++) {
                    assertEquals(7.5, f.get(0, x, y));
                }
            }
        }
    }

    interface IndexedValue {
        double at(int i);
    }

    static void writeNpy(Path file, int nx, int ny, IndexedValue values) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + ny + ", " + nx + "), }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + nx * ny * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes()).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes());
        for (int i = 0; i < nx * ny; i++) {
            buf.putDouble(values.at(i));
        }
        Files.write(file, buf.array());
    }

    private static Frame latest(Path segment) {
        try {
            return Grids.latest(segment);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
