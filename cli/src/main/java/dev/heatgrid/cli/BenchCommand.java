package dev.heatgrid.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    /** How BenchSuite's main marks a progress line on its stderr. */
    private static final String SUITE_PROGRESS = "bench: ";
    private static final String SUITE_MAIN = "dev.heatgrid.bench.ipc.BenchSuite";
    private static final String VS_C_MAIN = "dev.heatgrid.bench.ipc.SolverVsReference";

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "Under a minute (some 25 JVM starts): checks that every measurement runs; figures are rough.")
    boolean quick;

    @Option(names = "--full", description = "The long run docs/BENCHMARKS.md records (about 10 minutes).")
    boolean full;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write every figure to FILE, .csv"
            + " (input of dev.heatgrid.bench.ipc.BenchChartsMain).")
    Path out;

    @Option(names = "--csv", paramLabel = "FILE", hidden = true, description = Deprecations.PREFIX + "--out FILE.csv")
    Path csv;

    @Option(names = "--vs-c", description = "Only the solver against the C reference (gcc -O3 -march=native, OpenMP),"
            + " side by side round by round: 128^2 to 4096^2, 1 and 2 threads, and 4096^2 with --publish-every 8"
            + " (some 15 minutes with 3 rounds).")
    boolean vsC;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds of --vs-c (default 3): figures are medians over them.")
    Integer rounds;

    @Mixin
    ProgressOutput progress;

    @Override
    public Integer call() throws Exception {
        if (quick && full) {
            throw new UsageException("--quick and --full exclude each other");
        }
        if (csv != null && out != null) {
            throw new UsageException("--csv is the old spelling of --out: give one");
        }
        if (vsC && (quick || full || csv != null || out != null)) {
            throw new UsageException("--vs-c runs only the solver against C; --quick, --full and --out are for the suite");
        }
        if (rounds != null && (!vsC || rounds < 1 || rounds > 100)) {
            throw new UsageException("--rounds " + rounds + ": allowed 1..100, and only with --vs-c");
        }
        OutputFile file = csv != null ? OutputFile.of("--csv", csv, List.of("csv"))
                : out != null ? OutputFile.of("--out", out, List.of("csv")) : null;
        Path jar = benchmarksJar();
        if (!vsC) {
            if (runSuite(jar, file) != 0) {
                return CommandFailureHandler.RUNTIME;
            }
            spec.commandLine().getOut().println();
        }
        // After the suite (one round, a few cases) or alone (--vs-c): the solver against C, in a JVM of
        // its own that starts each `heatgrid run` from this JVM's class path.
        String cases = vsC || full ? "issue" : quick ? "smoke" : "standard";
        int n = vsC ? (rounds == null ? 3 : rounds) : full ? 3 : 1;
        return runBenchmarks(jar, List.of(VS_C_MAIN, cases, Integer.toString(n), cliClassPath(),
                Heatgrid.class.getName())) == 0 ? 0 : CommandFailureHandler.RUNTIME;
    }

    /** The suite, its CSV written to a scratch file first: the figures land in --out only through OutputFile. */
    private int runSuite(Path jar, OutputFile file) throws IOException, InterruptedException {
        Path scratch = file == null ? null : Files.createTempFile("heatgrid-bench-", ".csv");
        try {
            var suite = new ArrayList<>(List.of(SUITE_MAIN, quick ? "smoke" : full ? "full" : "standard"));
            if (scratch != null) {
                suite.add(scratch.toString());
            }
            int exit = runBenchmarks(jar, suite);
            if (exit == 0 && file != null) {
                file.write(() -> Files.copy(scratch, file.path(), StandardCopyOption.REPLACE_EXISTING));
            }
            return exit;
        } finally {
            if (scratch != null) {
                Files.deleteIfExists(scratch);
            }
        }
    }

    /** Runs {@code mainAndArgs} from the benchmarks jar in a JVM of its own, passing its output on; returns its exit code. */
    private int runBenchmarks(Path jar, List<String> mainAndArgs) throws IOException, InterruptedException {
        // This JVM's HotSpot options among them: the runs it times must start as the launcher's do
        List<String> command = JvmLikeThisOne.command();
        command.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Djava.awt.headless=true", "-cp", jar.toString()));
        command.addAll(mainAndArgs);
        Process child = new ProcessBuilder(command).start();
        Thread steps = Thread.ofPlatform().start(() -> copy(child.getErrorStream(), this::progressOrError));
        PrintWriter stdout = spec.commandLine().getOut();
        copy(child.getInputStream(), line -> {
            stdout.println(line);
            stdout.flush();
        });
        int exit = child.waitFor();
        steps.join();
        return exit;
    }

    /** This JVM's class path, absolute: what starts {@code heatgrid run} for the comparison (heatgrid.jar, or the build's classes). */
    private static String cliClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** The suite's "bench: STEP" lines are progress (dropped with --quiet); anything else is an error. */
    private void progressOrError(String line) {
        if (line.startsWith(SUITE_PROGRESS)) {
            progress.line(line.substring(SUITE_PROGRESS.length()));
        } else {
            PrintWriter err = progress.err();
            err.println(line);
            err.flush();
        }
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

    /** Hands the child's output on line by line as it comes, so progress shows while the suite runs. */
    private void copy(InputStream from, Consumer<String> to) {
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(from, StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.equals("WARNING: Using incubator modules: jdk.incubator.vector")) {
                    to.accept(line);
                }
            }
        } catch (IOException e) {
            progress.err().println("heatgrid bench: lost the suite's output: " + e.getMessage());
        }
    }
}
