package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SteeringClient;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.segment.WriterState;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Kernel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue test 7: kernels built into a separate jar (compiled and packaged here, from source) are
 * discovered with ServiceLoader when the jar is given at run time, and run: a two-field kernel with
 * a constant field, its own initializer, parameters and stability rule. A kernel that throws stops
 * the run without harming the segment. Broken jars get one clear message.
 */
class PluginJarTest {
    /** Variable-conductivity heat in flux form: field k is a constant conductivity map. */
    private static final String CONDUCTIVE = """
            package org.example.kernels;

            import dev.heatgrid.solver.spi.*;
            import java.lang.foreign.MemorySegment;
            import java.lang.foreign.ValueLayout;
            import java.util.List;

            public final class ConductiveHeat implements Kernel {
                static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE;

                public String name() { return "conductive-heat"; }
                public String description() { return "heat with a conductivity map, flux form"; }
                public List<FieldSpec> fields() {
                    return List.of(FieldSpec.evolving("T", "temperature"),
                            new FieldSpec("k", "conductivity, 0..1", 1.0, false));
                }
                public List<ParameterSpec> parameters() {
                    return List.of(ParameterSpec.real("alpha", 1.0, ValueRange.positive(10), "diffusivity scale"),
                            ParameterSpec.real("left", 0.2, ValueRange.closed(0, 1), "conductivity of the west half"));
                }
                public StabilityRule stability() {
                    return StabilityRule.limit("alpha*dt*(1/dx^2 + 1/dy^2) <= 1/2 (k <= 1)",
                            (g, p) -> 0.5 / (p.real("alpha") * (1 / (g.dx() * g.dx()) + 1 / (g.dy() * g.dy()))));
                }
                public void initialize(GridGeometry grid, Parameters params, List<MemorySegment> fields) {
                    for (int y = 0; y < grid.ny(); y++) {
                        for (int x = 0; x < grid.nx() / 2; x++) {
                            fields.get(1).setAtIndex(CELL, (long) y * grid.nx() + x, params.real("left"));
                        }
                    }
                }
                public Stepper prepare(KernelSetup setup) {
                    double cx = setup.params().real("alpha") * setup.dt() / (setup.grid().dx() * setup.grid().dx());
                    double cy = setup.params().real("alpha") * setup.dt() / (setup.grid().dy() * setup.grid().dy());
                    return (frame, pass, first, end) -> {
                        MemorySegment t = frame.source(0), k = frame.source(1), out = frame.target(0);
                        for (int y = first; y < end; y++) {
                            for (int x = 0; x < frame.nx(); x++) {
                                long c = frame.offset(x, y);
                                long w = frame.offset(frame.columnWest(x), y), e = frame.offset(frame.columnEast(x), y);
                                long s = frame.offset(x, frame.rowBelow(y)), n = frame.offset(x, frame.rowAbove(y));
                                double tc = t.get(CELL, c), kc = k.get(CELL, c);
                                double fx = (kc + k.get(CELL, e)) / 2 * (t.get(CELL, e) - tc) - (kc + k.get(CELL, w)) / 2 * (tc - t.get(CELL, w));
                                double fy = (kc + k.get(CELL, n)) / 2 * (t.get(CELL, n) - tc) - (kc + k.get(CELL, s)) / 2 * (tc - t.get(CELL, s));
                                out.set(CELL, c, Subnormals.flush(tc + (cx * fx + cy * fy)));
                            }
                        }
                    };
                }
            }
            """;

    private static final String EXPLODING = """
            package org.example.kernels;

            import dev.heatgrid.solver.spi.*;
            import java.util.List;

            public final class Exploding implements Kernel {
                public String name() { return "exploding"; }
                public String description() { return "throws at step 3"; }
                public List<ParameterSpec> parameters() { return List.of(); }
                public StabilityRule stability() { return StabilityRule.limit("any dt <= 1", (g, p) -> 1); }
                public Stepper prepare(KernelSetup setup) {
                    return (frame, pass, first, end) -> {
                        if (frame.step() == 2) {
                            throw new IllegalStateException("exploded computing step 3");
                        }
                        MemorySegmentCopy.copy(frame, first, end);
                    };
                }
            }
            """;

    /** Multiplies every node by gain each step: a steered gain can overflow the very next frame. */
    private static final String AMPLIFIER = """
            package org.example.kernels;

            import dev.heatgrid.solver.spi.*;
            import java.lang.foreign.ValueLayout;
            import java.util.List;

            public final class Amplifier implements Kernel {
                public String name() { return "amplifier"; }
                public String description() { return "multiplies every node by gain each step"; }
                public List<ParameterSpec> parameters() {
                    return List.of(ParameterSpec.real("gain", 1.0, ValueRange.positive(1e308), "factor per step"));
                }
                public StabilityRule stability() { return StabilityRule.limit("any dt <= 1", (g, p) -> 1); }
                public Stepper prepare(KernelSetup setup) {
                    double gain = setup.params().real("gain");
                    return (frame, pass, first, end) -> {
                        for (int y = first; y < end; y++) {
                            for (int x = 0; x < frame.nx(); x++) {
                                long c = frame.offset(x, y);
                                frame.target(0).set(ValueLayout.JAVA_DOUBLE, c, gain * frame.source(0).get(ValueLayout.JAVA_DOUBLE, c));
                            }
                        }
                    };
                }
            }
            """;

    private static final String COPY = """
            package org.example.kernels;

            import dev.heatgrid.solver.spi.StepFrame;
            import java.lang.foreign.MemorySegment;

            final class MemorySegmentCopy {
                static void copy(StepFrame f, int first, int end) {
                    MemorySegment.copy(f.source(0), f.offset(0, first), f.target(0), f.offset(0, first),
                            f.offset(0, end) - f.offset(0, first));
                }
            }
            """;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private static Path jar;

    @BeforeAll
    static void buildTheJar(@TempDir Path build) throws IOException {
        Path sources = build.resolve("src/org/example/kernels");
        Files.createDirectories(sources);
        Files.writeString(sources.resolve("ConductiveHeat.java"), CONDUCTIVE);
        Files.writeString(sources.resolve("Exploding.java"), EXPLODING);
        Files.writeString(sources.resolve("MemorySegmentCopy.java"), COPY);
        Files.writeString(sources.resolve("Amplifier.java"), AMPLIFIER);
        Path classes = Files.createDirectories(build.resolve("classes"));
        var compiler = ToolProvider.getSystemJavaCompiler();
        var args = new ArrayList<>(List.of("-d", classes.toString(), "-cp", System.getProperty("java.class.path")));
        try (var files = Files.list(sources)) {
            files.forEach(f -> args.add(f.toString()));
        }
        assertEquals(0, compiler.run(null, null, null, args.toArray(String[]::new)), "compiling the plug-in");
        jar = build.resolve("kernels.jar");
        writeJar(jar, classes, Map.of("META-INF/services/" + Kernel.class.getName(),
                "# plug-in kernels\norg.example.kernels.ConductiveHeat\norg.example.kernels.Exploding\n"
                        + "org.example.kernels.Amplifier\n"));
    }

    private static void writeJar(Path target, Path classes, Map<String, String> extra) throws IOException {
        try (OutputStream file = Files.newOutputStream(target); var out = new JarOutputStream(file)) {
            if (classes != null) {
                try (var walk = Files.walk(classes)) {
                    for (Path p : walk.filter(Files::isRegularFile).toList()) {
                        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                        out.write(Files.readAllBytes(p));
                        out.closeEntry();
                    }
                }
            }
            for (var e : extra.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }

    @Test
    void aRunThatBlowsUpOnItsOwnStopsAsDiverged() throws Exception {
        try (Solver solver = Solver.create(dir.resolve("diverge.hgrid"), SolverConfig.builder()
                .catalog(KernelCatalog.withJars(List.of(jar))).kernel("amplifier").param("gain=1e100")
                .size(new GridSize(8, 8)).initial(InitialCondition.parse("random:3")).threads(1).build())) {
            RunResult r = solver.run(StopCondition.steps(100));
            assertEquals(StopReason.DIVERGED, r.reason());
            assertEquals(1, r.exitCode());
            assertEquals(4, r.step(), "stops at the first published frame that is not finite");
        }
    }

    @Test
    void aSteeredChangeWhoseFirstFrameIsNotFiniteIsUndoneAndTheRunGoesOn() throws Exception {
        Path segment = dir.resolve("undo.hgrid");
        SolverConfig config = SolverConfig.builder().catalog(KernelCatalog.withJars(List.of(jar))).kernel("amplifier")
                .size(new GridSize(16, 16)).initial(InitialCondition.parse("random:5")).threads(1).build();
        var pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (Solver solver = Solver.create(segment, config);
             FrameReader reader = FrameReader.open(segment);
             SteeringClient client = SteeringClient.open(segment)) {
            var run = pool.submit(() -> solver.run(StopCondition.untilStopped(), new RunControl(), ProgressListener.NONE));
            SteeringTest.awaitTrue(() -> reader.generation() > 3, "the solver publishes");
            // gain 1e308 is in the kernel's declared range, so the command is accepted; the client may see it
            // applied, or (when the solver steps on before the client looks) already undone...
            SteeringClient.Outcome set = client.send(SteeringCode.SET, "gain", Duration.ofSeconds(30), 1e308);
            assertTrue(set.record().result() == CommandRecord.APPLIED
                    || set.record().result() == CommandRecord.REFUSED && set.message().contains("undone: step "),
                    set.message());
            // ...but its first frame overflows: it is undone, the log says why, and the run goes on.
            long seq = set.record().command().seq();
            SteeringTest.awaitTrue(() -> reader.commandLog().stream().anyMatch(r -> r.command().seq() == seq
                    && r.result() == CommandRecord.REFUSED), "the overflowing change is undone");
            // Whatever the client saw first, the log keeps both entries: accepted and applied, then undone.
            assertTrue(reader.commandLog().stream().anyMatch(r -> r.command().seq() == seq
                    && r.result() == CommandRecord.APPLIED), "the change was applied before it was undone");
            String why = client.resultMessage(seq).orElseThrow();
            assertTrue(why.startsWith("undone: step ") && why.contains("not finite"), why);
            long now = reader.generation();
            SteeringTest.awaitTrue(() -> reader.generation() > now + 3, "the run goes on");
            Frame frame = Frame.shapedFor(reader.layout());
            reader.latest(frame);
            assertTrue(Double.isFinite(frame.header().stats().get(0).mean()), frame.header().toString());
            assertTrue(frame.header().paramMap().get("gain").startsWith("1"), frame.header().params());
            assertEquals(CommandRecord.APPLIED, client.send(SteeringCode.STOP, "", Duration.ofSeconds(30)).record()
                    .result());
            assertEquals(StopReason.STEERED, run.get().reason(), "an accepted command ended the run");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aKernelFromAnotherJarIsDiscoveredListedAndRun() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> KernelCatalog.installed().find("conductive-heat"));
        assertTrue(e.getMessage().startsWith("unknown kernel 'conductive-heat'; installed: ftcs, adi, spectral"), e.getMessage());

        KernelCatalog catalog = KernelCatalog.withJars(List.of(jar));
        assertEquals(List.of("ftcs", "adi", "spectral", "conductive-heat", "exploding", "amplifier"), catalog.names());
        String listing = KernelListing.format(catalog);
        assertTrue(listing.contains("conductive-heat - heat with a conductivity map, flux form"), listing);
        assertTrue(listing.contains("k (conductivity, 0..1, constant)"), listing);
        assertTrue(listing.contains("left       real     0.2          [0, 1]"), listing);

        Path segment = dir.resolve("plugin.hgrid");
        SolverConfig config = SolverConfig.builder().catalog(catalog).kernel("conductive-heat").size(new GridSize(60, 40))
                .param("left=0.3").boundary(Boundary.parse("neumann")).initial(InitialCondition.parse("random:9"))
                .threads(2).publishEvery(2).build();
        try (Solver solver = Solver.create(segment, config)) {
            Frame start = Grids.latest(segment);
            assertEquals(List.of("T", "k"), start.fieldNames());
            RunResult result = solver.run(StopCondition.steps(101));
            assertEquals(101, result.step());
            Frame end = Grids.latest(segment);
            double before = Grids.exactSum(start.field(0));
            double after = Grids.exactSum(end.field(0));
            assertTrue(Math.abs(after - before) <= 1e-12 * Math.abs(before), "flux form conserves heat: " + before + " -> " + after);
            assertEquals(0.3, end.get(1, 10, 20), "west half conductivity from the kernel's initializer");
            assertEquals(1.0, end.get(1, 50, 20), "east half: the field's initial value");
            assertEquals(start.header().stats().get(1), end.header().stats().get(1), "the constant field is carried unchanged");
            System.out.printf("plug-in conductive-heat: total T %.15g -> %.15g over 101 steps%n", before, after);
        }
    }

    @Test
    void aKernelThatThrowsStopsTheRunAndLeavesTheSegmentConsistent() throws Exception {
        KernelCatalog catalog = KernelCatalog.withJars(List.of(jar));
        Path segment = dir.resolve("explode.hgrid");
        try (FrameReader watcher = FrameReader.open(createAndRun(catalog, segment))) {
            Frame frame = Frame.shapedFor(watcher.layout());
            watcher.latest(frame); // the newest published frame still verifies
            assertEquals(2, frame.header().step());
            assertEquals(WriterState.EXITED, watcher.writer().state());
        }
    }

    private Path createAndRun(KernelCatalog catalog, Path segment) throws Exception {
        SolverConfig config = SolverConfig.builder().catalog(catalog).kernel("exploding").size(new GridSize(32, 32))
                .dt(TimeStep.fixed(1)).threads(2).keep(true).build();
        try (Solver solver = Solver.create(segment, config)) {
            var e = assertThrows(IllegalStateException.class, () -> solver.run(StopCondition.steps(10)));
            assertEquals("exploded computing step 3", e.getMessage());
            assertEquals(2, solver.step());
        }
        return segment;
    }

    @Test
    void brokenJarsAreRefusedWithOneClearMessage() throws Exception {
        var missing = assertThrows(IllegalArgumentException.class, () -> KernelCatalog.withJars(List.of(dir.resolve("no.jar"))));
        assertTrue(missing.getMessage().endsWith("no.jar does not exist or is not a file"), missing.getMessage());

        Path empty = dir.resolve("empty.jar");
        writeJar(empty, null, Map.of("README", "nothing here"));
        var noServices = assertThrows(IllegalArgumentException.class, () -> KernelCatalog.withJars(List.of(empty)));
        assertTrue(noServices.getMessage().contains("declares no kernel: it has no META-INF/services/dev.heatgrid.solver.spi.Kernel"),
                noServices.getMessage());

        Path dangling = dir.resolve("dangling.jar");
        writeJar(dangling, null, Map.of("META-INF/services/" + Kernel.class.getName(), "org.example.Missing\n"));
        var badClass = assertThrows(IllegalArgumentException.class, () -> KernelCatalog.withJars(List.of(dangling)));
        assertTrue(badClass.getMessage().contains("cannot be loaded") && badClass.getMessage().contains("org.example.Missing"),
                badClass.getMessage());

        Path text = dir.resolve("notes.jar");
        Files.writeString(text, "not a zip");
        var notZip = assertThrows(IllegalArgumentException.class, () -> KernelCatalog.withJars(List.of(text)));
        assertTrue(notZip.getMessage().contains("cannot be read as a jar"), notZip.getMessage());
    }
}
