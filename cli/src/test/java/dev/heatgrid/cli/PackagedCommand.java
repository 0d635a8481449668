package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The packaged {@code heatgrid.jar} in a JVM of its own, the way users run it: what the ITs share. */
final class PackagedCommand {
    private static final Path JAR = Path.of(System.getProperty("heatgrid.jar", "cli/target/heatgrid.jar"));

    /** What a finished command left: exit code, stdout, stderr. */
    record Result(int code, String out, String err) {
    }

    private PackagedCommand() {
    }

    /**
     * JVM options for commands whose every grid is small (the tiled ITs: at most 64x64, up to seven
     * JVMs at a time on two cores): C1 alone. C2's compile threads cost those runs more CPU than they
     * save (docs/TESTING.md), and the bits are the same in every tier. Never for a run of real size:
     * the Vector API without C2 is many times slower (RunResumeTortureIT ran 12 minutes and failed).
     */
    static final List<String> SMALL_GRIDS = List.of("-XX:TieredStopAtLevel=1");

    /** The command line that runs heatgrid with {@code args}, as the launcher would, headless. */
    static List<String> command(List<String> args) {
        return command(List.of(), true, args);
    }

    /**
     * The command line that runs heatgrid in a JVM with {@code jvmOptions} too; {@code headless}
     * false lets AWT look for the DISPLAY.
     */
    static List<String> command(List<String> jvmOptions, boolean headless, List<String> args) {
        var command = new ArrayList<String>();
        command.add(JvmProcess.javaCommand());
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("--add-modules=jdk.incubator.vector");
        command.addAll(jvmOptions);
        if (headless) {
            command.add("-Djava.awt.headless=true");
        }
        command.add("-jar");
        command.add(JAR.toString());
        command.addAll(args);
        return command;
    }

    /** Runs heatgrid to its end (failing the test after {@code timeout}) and collects its output. */
    static Result exec(Duration timeout, List<String> args) throws IOException, InterruptedException {
        return exec(timeout, List.of(), Map.of(), true, args);
    }

    /** Like {@link #exec(Duration, List)}, with more environment variables and headless or not. */
    static Result exec(Duration timeout, Map<String, String> environment, boolean headless, List<String> args)
            throws IOException, InterruptedException {
        return exec(timeout, List.of(), environment, headless, args);
    }

    /** Like {@link #exec(Duration, Map, boolean, List)}, in a JVM with {@code jvmOptions} too. */
    static Result exec(Duration timeout, List<String> jvmOptions, Map<String, String> environment, boolean headless,
                       List<String> args) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command(jvmOptions, headless, args));
        builder.environment().putAll(environment);
        Process process = builder.start();
        // stderr first: commands write little there, and draining stdout after it cannot dead-lock
        // while the pipe buffers (64 KiB) hold what they print.
        byte[] err = process.getErrorStream().readAllBytes();
        byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS), "heatgrid " + args + " did not end");
        // The JVM's start-up notice, which the ./heatgrid launcher filters out (LauncherIT tests that).
        String errText = new String(err, StandardCharsets.UTF_8)
                .replaceFirst("^WARNING: Using incubator modules: jdk.incubator.vector\n", "");
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), errText);
    }

    /** Waits until {@code owner} (a run) has created its segment, failing fast if it died first. */
    static void awaitFile(Path segment, Process owner) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(segment)) {
            assertTrue(owner.isAlive(), "the run exited before creating " + segment);
            assertTrue(System.nanoTime() < deadline, "no segment after 60 s");
            Thread.sleep(10);
        }
    }
}
