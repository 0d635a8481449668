package dev.heatgrid.cli;

import dev.heatgrid.segment.SegmentNames;
import dev.heatgrid.solver.GridSize;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heatgrid demo}: the whole idea in one command. A solver process heats a plate inside a
 * segment while a separate viewer process watches it through its own read-only mapping. With a
 * display the viewer opens a window; without one it records a time-lapse and the final frame as
 * {@code demo.png}, and everything ends by itself.
 */
@Command(name = "demo", description = {"Run a solver and a viewer as two processes sharing one segment.",
        "Scenario: a 1 m plate (alpha 1e-4 m^2/s), top edge at 100, bottom at 0, insulated sides, a heater at"
                + " 150 and a warm spot to start.",
        "With a display: a live window (close it to end). Without one (or with --headless): writes demo.png and a"
                + " time-lapse, then exits."})
final class DemoCommand implements Callable<Integer> {
    private static final int MIN_SIDE = 16;
    private static final int MAX_SIDE = 4096;

    @Spec
    CommandSpec spec;

    @Mixin
    BuffersOption buffers;

    @Mixin
    ProgressOutput progress;

    @Option(names = "--size", paramLabel = "NXxNY", defaultValue = "256x256", description = "Grid size, sides "
            + MIN_SIDE + ".." + MAX_SIDE + " (default ${DEFAULT-VALUE}; N means NxN).")
    GridSize size;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "6000", description = "Solver steps (default"
            + " ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "demo.png", description = "Headless: the final"
            + " frame, .png (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--out-dir", paramLabel = "DIR", defaultValue = "demo-out", description = "Headless: the"
            + " time-lapse folder (default ${DEFAULT-VALUE}).")
    Path outDir;

    @Option(names = "--headless", description = "Write pictures even if a display exists.")
    boolean headless;

    @Option(names = "--png", paramLabel = "FILE", hidden = true, description = Deprecations.PREFIX + "--out FILE")
    Path png;

    @Option(names = "--frames", paramLabel = "DIR", hidden = true, description = Deprecations.PREFIX + "--out-dir DIR"
            + " (--frames is always a count)")
    Path frames;

    private final List<Process> children = new ArrayList<>();
    /** Whether the viewer opens a window; otherwise every child runs headless (AWT then never looks for a display). */
    private boolean window;

    @Override
    public Integer call() throws Exception {
        int nx = size.nx();
        int ny = size.ny();
        if (Math.min(nx, ny) < MIN_SIDE || Math.max(nx, ny) > MAX_SIDE) {
            throw new UsageException("--size is " + size + "; sides allowed " + MIN_SIDE + ".." + MAX_SIDE);
        }
        if (steps < 1) {
            throw new UsageException("--steps is " + steps + "; allowed 1 or more");
        }
        int bufferCount = buffers.buffers();
        OutputFile picture = OutputFile.of(png != null ? "--png" : "--out", png != null ? png : out, List.of("png"));
        Path folder = frames != null ? frames : outDir;
        PrintWriter stdout = spec.commandLine().getOut();
        window = !headless && windowPossible();
        Path segment = SegmentNames.defaultDirectory().resolve("heatgrid-demo-" + ProcessHandle.current().pid()
                + SegmentNames.EXTENSION);
        Thread cleanup = new Thread(() -> {
            stopChildren();
            try {
                Files.deleteIfExists(segment);
            } catch (IOException e) {
                // leave it to `heatgrid clean`
            }
        }, "heatgrid demo cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            // A 1 m x 1 m plate whatever the node counts: the heater and the physics keep their place.
            int h0 = nx * 13 / 20;
            int h1 = nx * 16 / 20;
            int v0 = ny * 3 / 20;
            int v1 = ny * 6 / 20;
            Process solver = start("solver", "run", segment.toString(), "--size", nx + "x" + ny,
                    "--spacing", 1.0 / (nx - 1) + "," + 1.0 / (ny - 1), "--alpha", "1e-4", "--init", "gaussian:100",
                    "--boundary", "north=dirichlet:100,south=dirichlet:0,west=neumann,east=neumann",
                    "--heater", h0 + "," + v0 + "," + h1 + "," + v1 + ",150", "--steps", Long.toString(steps),
                    // One solver thread leaves a core to the viewer; the buffers give the viewer N-1
                    // solver steps to read a frame before the solver reuses its buffer.
                    "--threads", "1", "--buffers", Integer.toString(bufferCount), "--quiet",
                    // Kept: a short run may end before the viewer attaches, and the last process out
                    // would remove the segment. The demo removes it itself when both are done.
                    "--keep");
            awaitSegment(segment, solver);
            progress.line(String.format("solver pid %d is stepping %s (%d x %d, %d steps, %d buffers); viewer %s",
                    solver.pid(), segment, nx, ny, steps, bufferCount,
                    window ? "window opening" : "recording to " + folder + "/"));
            Process viewer = window
                    ? start("viewer", "view", segment.toString())
                    : start("viewer", "view", segment.toString(), "--interval", "1s", "--out-dir", folder.toString());
            int solverExit = solver.waitFor();
            if (window) {
                progress.line("the solver has finished; close the viewer window to end");
            }
            int viewerExit = viewer.waitFor();
            if (solverExit != 0 || viewerExit != 0) {
                throw new IOException("the demo's " + (solverExit != 0 ? "solver" : "viewer") + " process failed (exit "
                        + (solverExit != 0 ? solverExit : viewerExit) + "); its messages are above");
            }
            if (!window) {
                Path last = lastFrame(folder);
                picture.write(() -> Files.copy(last, picture.path(), StandardCopyOption.REPLACE_EXISTING));
                stdout.printf("demo: wrote %s (the final frame) and %s/ (a picture every second of the run)%n",
                        picture.path(), folder);
            }
            return 0;
        } finally {
            stopChildren();
            Files.deleteIfExists(segment);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    /**
     * A window if a display answers; otherwise the headless demo, saying why (a DISPLAY set to a server
     * that is not there would otherwise kill the viewer with a stack trace).
     */
    private boolean windowPossible() {
        String problem = DisplayCheck.problem().orElse(null);
        if (problem != null) {
            progress.line("no window (" + problem + "): recording pictures instead");
        }
        return problem == null;
    }

    /** Starts {@code heatgrid ARGS} in a new JVM like this one; its output is relayed to stderr with a prefix. */
    private Process start(String role, String... args) throws IOException {
        List<String> command = JvmLikeThisOne.command();
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            command.add("--add-modules=jdk.incubator.vector");
        }
        if (!window || role.equals("solver")) {
            command.add("-Djava.awt.headless=true");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Heatgrid.class.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        synchronized (children) {
            children.add(process);
        }
        Thread.ofPlatform().daemon().name("heatgrid demo " + role).start(() -> relay(process, role));
        return process;
    }

    /** The children's lines are the demo's progress: stderr, or nothing with --quiet. */
    private void relay(Process process, String role) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("WARNING: Using incubator modules") || line.startsWith("heatgrid view: frame-")) {
                    continue; // the JVM's start-up notice, and the time-lapse's per-picture lines
                }
                synchronized (this) {
                    progress.line("[" + role + "] " + line);
                }
            }
        } catch (IOException e) {
            // the child is gone; its exit status tells the rest
        }
    }

    private static void awaitSegment(Path segment, Process solver) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(segment)) {
            if (!solver.isAlive()) {
                throw new IOException("the demo's solver process exited (status " + solver.exitValue()
                        + ") before creating " + segment);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the demo's solver did not create " + segment + " within 60 s");
            }
            Thread.sleep(20);
        }
    }

    private static Path lastFrame(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("frame-\\d+\\.png")).max(Path::compareTo)
                    .orElseThrow(() -> new IOException("the viewer wrote no picture into " + dir));
        }
    }

    /** Ctrl-C or a failure: ask the children to stop (SIGTERM: the solver finishes its step), then wait. */
    private void stopChildren() {
        List<Process> running;
        synchronized (children) {
            running = List.copyOf(children);
        }
        for (Process p : running) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        for (Process p : running) {
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        }
    }
}
