package dev.heatgrid.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heatgrid bench}: issue 8's measurements (frame delivery between processes over the segment,
 * a pipe, a Unix socket and TCP; notification latency; consistent read vs copy; the solver with
 * viewers attached; frame to image) in about a minute, printed as a table, then the solver against
 * the C reference (when gcc is there; the table says so when not). {@code --vs-c} runs only that
 * comparison, at every size of issue 13's table. Both live in the bench module's
 * {@code benchmarks.jar}, run here as JVMs of their own (which start helper JVMs), so the command
 * line does not carry the benchmarks; the comparison is given this JVM's class path to start
 * {@code heatgrid run} from.
 */
@Command(name = "bench", description = {"Measure frame delivery between processes (segment vs pipe, Unix socket,"
        + " TCP), notification latency, consistent read vs copy, the solver with 0/1/4 viewers and frame to image;"
        + " then the solver against the C reference (when gcc is present). Prints tables of medians. Takes about"
        + " a minute and starts helper JVMs; figures are only as good as the machine is quiet."})
final class BenchCommand implements Callable<Integer> {
    /** Where the launcher says the benchmarks jar is. */
    static final String JAR_PROPERTY = "heatgrid.benchmarks";
    private static final String SUITE_MAIN = "dev.heatgrid.bench.ipc.BenchSuite";
    private static final String VS_C_MAIN = "dev.heatgrid.bench.ipc.SolverVsReference";

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "About half a minute (some 25 JVM starts): checks that every measurement runs; figures are rough.")
    boolean quick;

    @Option(names = "--full", description = "The long run docs/BENCHMARKS.md records (about 10 minutes).")
    boolean full;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write every figure of the suite to FILE as CSV"
            + " (input of dev.heatgrid.bench.ipc.BenchChartsMain).")
    Path csv;

    @Option(names = "--vs-c", description = "Only the solver against the C reference (gcc -O3 -march=native, OpenMP),"
            + " side by side round by round: 128^2 to 4096^2, 1 and 2 threads, and 4096^2 with --publish-every 8"
            + " (some 15 minutes with 3 rounds).")
    boolean vsC;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of --vs-c (default 3): figures are medians over them.")
    Integer rounds;

    @Override
    public Integer call() throws Exception {
        if (quick && full) {
            throw new UsageException("--quick and --full exclude each other");
        }
        if (vsC && (quick || full || csv != null)) {
            throw new UsageException("--vs-c runs only the solver against C; --quick, --full and --csv are for the suite");
        }
        if (rounds != null && (!vsC || rounds < 1 || rounds > 100)) {
            throw new UsageException("--rounds " + rounds + ": allowed 1..100, and only with --vs-c");
        }
        if (csv != null && csv.toAbsolutePath().getParent() != null && !Files.isDirectory(csv.toAbsolutePath().getParent())) {
            throw new UsageException("--csv: directory " + csv.toAbsolutePath().getParent() + " does not exist");
        }
        Path jar = benchmarksJar();
        if (!vsC) {
            var suite = new ArrayList<>(List.of(SUITE_MAIN, quick ? "smoke" : full ? "full" : "standard"));
            if (csv != null) {
                suite.add(csv.toAbsolutePath().toString());
            }
            if (runBenchmarks(jar, suite) != 0) {
                return CommandFailureHandler.RUNTIME;
            }
            spec.commandLine().getOut().println();
        }
        String cases = vsC || full ? "issue" : quick ? "smoke" : "standard";
        int n = vsC ? (rounds == null ? 3 : rounds) : full ? 3 : 1;
        return runBenchmarks(jar, List.of(VS_C_MAIN, cases, Integer.toString(n), cliClassPath(), Heatgrid.class.getName()))
                == 0 ? 0 : CommandFailureHandler.RUNTIME;
    }

    /** Runs {@code mainAndArgs} from the benchmarks jar in a JVM of its own, passing its output on; returns its exit code. */
    private int runBenchmarks(Path jar, List<String> mainAndArgs) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "--add-modules",
                "jdk.incubator.vector", "-Djava.awt.headless=true", "-cp", jar.toString()));
        command.addAll(mainAndArgs);
        Process child = new ProcessBuilder(command).start();
        PrintWriter err = spec.commandLine().getErr();
        Thread progress = Thread.ofPlatform().start(() -> copy(child.getErrorStream(), err));
        copy(child.getInputStream(), spec.commandLine().getOut());
        int exit = child.waitFor();
        progress.join();
        return exit;
    }

    /** The benchmarks jar: where the launcher says, else beside this jar's build (bench/target). */
    private static Path benchmarksJar() throws IOException {
        String given = System.getProperty(JAR_PROPERTY);
        Path jar = given != null ? Path.of(given) : besideThisBuild();
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IOException("heatgrid bench needs the benchmarks jar" + (jar == null ? "" : " (" + jar + ")")
                    + "; build it with mvn -B -pl bench -am package");
        }
        return jar;
    }

    /** {@code bench/target/benchmarks.jar} of the checkout this command was built in, or null. */
    private static Path besideThisBuild() {
        try {
            Path self = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path checkout = self.getParent() == null ? null : self.getParent().getParent();
            return checkout == null || checkout.getParent() == null ? null
                    : checkout.getParent().resolve("bench/target/benchmarks.jar");
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /** This JVM's class path, absolute: what starts {@code heatgrid run} for the comparison (heatgrid.jar, or the build's classes). */
    private static String cliClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Copies the child's output line by line as it comes, so progress shows while it runs. */
    private static void copy(InputStream from, PrintWriter to) {
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(from, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.equals("WARNING: Using incubator modules: jdk.incubator.vector")) {
                    to.println(line);
                    to.flush();
                }
            }
        } catch (IOException e) {
            to.println("bench: lost the benchmark's output: " + e.getMessage());
        }
    }
}
