package dev.heatgrid.cli;

import dev.heatgrid.segment.SegmentNames;
import dev.heatgrid.viewer.ViewerWindow;
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
        "With a display: a live window (close it to end). Without: writes demo.png and a time-lapse, then exits."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--size", paramLabel = "N", defaultValue = "256", description = "Grid of N x N nodes (default"
            + " ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--steps", paramLabel = "N", defaultValue = "6000", description = "Solver steps (default"
            + " ${DEFAULT-VALUE}).")
    long steps;

    @Option(names = "--png", paramLabel = "FILE", defaultValue = "demo.png", description = "Headless: the final frame"
            + " (default ${DEFAULT-VALUE}).")
    Path png;

    @Option(names = "--frames", paramLabel = "DIR", defaultValue = "demo-out", description = "Headless: the"
            + " time-lapse folder (default ${DEFAULT-VALUE}).")
    Path frames;

    @Option(names = "--headless", description = "Write pictures even if a display exists.")
    boolean headless;

    private final List<Process> children = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (size < 16 || size > 4096) {
            throw new UsageException("--size is " + size + "; allowed 16..4096");
        }
        if (steps < 1) {
            throw new UsageException("--steps is " + steps + "; allowed 1 or more");
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean window = !headless && ViewerWindow.displayAvailable();
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
            double spacing = 1.0 / (size - 1);
            int h0 = size * 13 / 20;
            int h1 = size * 16 / 20;
            int v0 = size * 3 / 20;
            int v1 = size * 6 / 20;
            Process solver = start(out, "solver", "run", segment.toString(), "--size", size + "x" + size,
                    "--spacing", Double.toString(spacing), "--alpha", "1e-4", "--init", "gaussian:100",
                    "--boundary", "north=dirichlet:100,south=dirichlet:0,west=neumann,east=neumann",
                    "--heater", h0 + "," + v0 + "," + h1 + "," + v1 + ",150", "--steps", Long.toString(steps),
                    // One solver thread leaves a core to the viewer, and a third buffer gives it two
                    // solver steps, not one, to read a frame before the solver reuses its buffer.
                    "--threads", "1", "--buffers", "3", "--quiet",
                    // Kept: a short run may end before the viewer attaches, and the last process out
                    // would remove the segment. The demo removes it itself when both are done.
                    "--keep");
            awaitSegment(segment, solver);
            out.printf("demo: solver pid %d is stepping %s (%d x %d, %d steps); viewer %s%n", solver.pid(), segment,
                    size, size, steps, window ? "window opening" : "recording to " + frames + "/");
            out.flush();
            Process viewer = window
                    ? start(out, "viewer", "view", segment.toString())
                    : start(out, "viewer", "view", segment.toString(), "--every", "1s", "--out", frames.toString());
            int solverExit = solver.waitFor();
            if (window) {
                out.println("demo: the solver has finished; close the viewer window to end");
                out.flush();
            }
            int viewerExit = viewer.waitFor();
            if (solverExit != 0 || viewerExit != 0) {
                throw new IOException("the demo's " + (solverExit != 0 ? "solver" : "viewer") + " process failed (exit "
                        + (solverExit != 0 ? solverExit : viewerExit) + "); its messages are above");
            }
            if (!window) {
                Path last = lastFrame(frames);
                Files.copy(last, png, StandardCopyOption.REPLACE_EXISTING);
                out.printf("demo: wrote %s (the final frame) and %s/ (a picture every second of the run)%n", png, frames);
            }
            return 0;
        } finally {
            stopChildren();
            Files.deleteIfExists(segment);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    /** Starts {@code heatgrid ARGS} in a new JVM like this one; its output is relayed with a prefix. */
    private Process start(PrintWriter out, String role, String... args) throws IOException {
        var command = new ArrayList<String>();
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString()));
        command.add("--enable-native-access=ALL-UNNAMED");
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            command.add("--add-modules=jdk.incubator.vector");
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Heatgrid.class.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        synchronized (children) {
            children.add(process);
        }
        Thread.ofPlatform().daemon().name("heatgrid demo " + role).start(() -> relay(process, role, out));
        return process;
    }

    private static void relay(Process process, String role, PrintWriter out) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.startsWith("WARNING: Using incubator modules") || line.startsWith("frame-")) {
                    continue; // the JVM's start-up notice, and the time-lapse's per-picture lines
                }
                synchronized (out) {
                    out.println("[" + role + "] " + line);
                    out.flush();
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
