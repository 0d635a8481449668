package dev.heatgrid.bench;

import dev.heatgrid.viewer.ViewerOptions;
import dev.heatgrid.viewer.ViewerStatus;
import dev.heatgrid.viewer.ViewerWindow;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Issue 4's live measurement, run under a display (Xvfb): the stand-in solver
 * ({@link DiffusionWriterMain}, its own JVM) runs flat out for a fixed time, alternately alone and
 * with a live {@link ViewerWindow} attached in this JVM. Reports the solver's steps/s in both
 * cases (medians over rounds, so noise from other work on the machine hits both alike), their
 * ratio, and the frames/s the window painted and how old they were.
 *
 * <p>Run (docs/BENCHMARKS.md, "Viewer"): {@code xvfb-run -a -s "-screen 0 1100x1024x24" java
 * --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar
 * dev.heatgrid.bench.ViewerUnderLoadMain 1024 10 5 [docs/viewer.png]} (grid size, seconds per run,
 * rounds, optional screenshot taken during the first viewed round).
 */
public final class ViewerUnderLoadMain {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        double seconds = Double.parseDouble(args[1]);
        int rounds = Integer.parseInt(args[2]);
        Path screenshot = args.length > 3 ? Path.of(args[3]) : null;
        if (!ViewerWindow.displayAvailable()) {
            System.err.println("no display: run under xvfb-run (see the class comment)");
            System.exit(2);
        }
        var alone = new ArrayList<Double>();
        var viewed = new ArrayList<Double>();
        var fps = new ArrayList<Double>();
        var ages = new ArrayList<Double>();
        var cpu = new ArrayList<Double>();
        // Warm up first: the viewer's code is JIT-compiled during the first viewed run, which is
        // not what a viewer attached to a long simulation costs.
        solverRate(n, Math.min(seconds, 6), true, new ArrayList<>(), new ArrayList<>(), null);
        for (int round = 1; round <= rounds; round++) {
            double a = solverRate(n, seconds, false, null, null, null);
            double cpuBefore = cpuSeconds();
            long wallBefore = System.nanoTime();
            double v = solverRate(n, seconds, true, fps, ages, round == 1 ? screenshot : null);
            cpu.add((cpuSeconds() - cpuBefore) / ((System.nanoTime() - wallBefore) / 1e9));
            alone.add(a);
            viewed.add(v);
            System.out.printf(Locale.ROOT, "round %d: solver alone %.1f steps/s, with viewer %.1f steps/s (%.3fx)%n",
                    round, a, v, v / a);
        }
        double ratio = median(viewed) / median(alone);
        System.out.printf(Locale.ROOT, "%d^2, %d rounds of %.0f s: solver alone %.1f steps/s, with viewer %.1f steps/s,"
                        + " ratio %.3f; viewer painted %.1f frames/s (median of 1 s samples, min %.1f), frame age"
                        + " median %.0f ms; viewer + X server used %.2f cores while viewing%n", n, rounds, seconds,
                median(alone), median(viewed), ratio, median(fps),
                fps.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN), median(ages), median(cpu));
        System.exit(0);
    }

    private static double solverRate(int n, double seconds, boolean view, List<Double> fps, List<Double> ages,
                                     Path screenshot) throws Exception {
        Path segment = Path.of("/dev/shm", "heatgrid-bench-viewer-" + ProcessHandle.current().pid() + ".hgrid");
        Files.deleteIfExists(segment);
        var command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector", "-cp",
                System.getProperty("java.class.path"), DiffusionWriterMain.class.getName(), segment.toString(),
                Integer.toString(n), Double.toString(seconds)));
        Process solver = new ProcessBuilder(command).redirectErrorStream(true).start();
        var out = new BufferedReader(new InputStreamReader(solver.getInputStream()));
        String line;
        while ((line = out.readLine()) != null && !line.equals("READY")) {
            System.err.println("solver: " + line); // e.g. the incubator module warning
        }
        if (line == null) {
            throw new IOException("solver exited before its first frame");
        }
        // -Dheatgrid.bench.control=true: the "with viewer" runs get none, so the ratio shows the noise floor.
        boolean control = Boolean.getBoolean("heatgrid.bench.control");
        ViewerWindow window = view && !control ? ViewerWindow.open(segment, ViewerOptions.defaults()) : null;
        long start = System.nanoTime();
        long warmup = TimeUnit.SECONDS.toNanos(2);
        boolean shot = false;
        while (solver.isAlive()) {
            Thread.sleep(1000);
            if (window != null && System.nanoTime() - start > warmup && System.nanoTime() - start < (seconds - 0.5) * 1e9) {
                ViewerStatus status = window.status();
                if (status != null && status.generation() > 0 && !Double.isNaN(status.framesShownPerSecond())) {
                    fps.add(status.framesShownPerSecond());
                    ages.add(status.frameAgeMillis());
                }
                if (screenshot != null && !shot && System.nanoTime() - start > seconds * 0.6e9) {
                    shot = true;
                    new ProcessBuilder("/usr/bin/import", "-window", "root", screenshot.toString()).inheritIO().start()
                            .waitFor();
                }
            }
        }
        String result = null;
        for (String l; (l = out.readLine()) != null; ) {
            if (l.startsWith("RESULT")) {
                result = l;
            }
        }
        if (window != null) {
            window.close();
            window.awaitClosed();
        }
        Files.deleteIfExists(segment);
        if (result == null) {
            throw new IOException("solver printed no RESULT line");
        }
        return Double.parseDouble(result.substring(result.indexOf("rate=") + 5));
    }

    /** CPU time of this JVM (the viewer) and of the X server, in seconds. */
    private static double cpuSeconds() {
        double total = ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        return total + ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/Xvfb") || c.endsWith("/Xorg")).orElse(false))
                .mapToDouble(p -> p.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0)).sum();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

}
