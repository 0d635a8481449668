package dev.heatgrid.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heatgrid bench}: issue 8's measurements (frame delivery between processes over the segment,
 * a pipe, a Unix socket and TCP; notification latency; consistent read vs copy; the solver with
 * viewers attached; frame to image) in about a minute, printed as a table. The suite lives in the
 * bench module's {@code benchmarks.jar}, run here as a JVM of its own (which starts helper JVMs), so
 * the command line does not carry the benchmarks.
 */
@Command(name = "bench", description = {"Measure frame delivery between processes (segment vs pipe, Unix socket,"
        + " TCP), notification latency, consistent read vs copy, the solver with 0/1/4 viewers and frame to image;"
        + " print a table of medians. Takes about a minute and starts helper JVMs; figures are only as good as"
        + " the machine is quiet."})
final class BenchCommand implements Callable<Integer> {
    /** Where the launcher says the benchmarks jar is. */
    static final String JAR_PROPERTY = "heatgrid.benchmarks";
    /** How BenchSuite's main marks a progress line on its stderr. */
    private static final String SUITE_PROGRESS = "bench: ";

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "About half a minute (some 25 JVM starts): checks that every measurement runs; figures are rough.")
    boolean quick;

    @Option(names = "--full", description = "The long run docs/BENCHMARKS.md records (about 10 minutes).")
    boolean full;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write every figure to FILE, .csv"
            + " (input of dev.heatgrid.bench.ipc.BenchChartsMain).")
    Path out;

    @Option(names = "--csv", paramLabel = "FILE", hidden = true, description = Deprecations.PREFIX + "--out FILE.csv")
    Path csv;

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
        OutputFile file = csv != null ? OutputFile.of("--csv", csv, List.of("csv"))
                : out != null ? OutputFile.of("--out", out, List.of("csv")) : null;
        Path jar = benchmarksJar();
        // The suite writes its CSV to a scratch file; the figures land in --out only through OutputFile,
        // whose message names the file when it cannot be written.
        Path scratch = file == null ? null : Files.createTempFile("heatgrid-bench-", ".csv");
        try {
            var command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "--add-modules",
                    "jdk.incubator.vector", "-Djava.awt.headless=true", "-cp", jar.toString(),
                    "dev.heatgrid.bench.ipc.BenchSuite", quick ? "smoke" : full ? "full" : "standard"));
            if (scratch != null) {
                command.add(scratch.toString());
            }
            Process suite = new ProcessBuilder(command).start();
            Thread steps = Thread.ofPlatform().start(() -> copy(suite.getErrorStream(), this::progressOrError));
            PrintWriter stdout = spec.commandLine().getOut();
            copy(suite.getInputStream(), line -> {
                stdout.println(line);
                stdout.flush();
            });
            int exit = suite.waitFor();
            steps.join();
            if (exit != 0) {
                return CommandFailureHandler.RUNTIME;
            }
            if (file != null) {
                file.write(() -> Files.copy(scratch, file.path(), StandardCopyOption.REPLACE_EXISTING));
            }
            return 0;
        } finally {
            if (scratch != null) {
                Files.deleteIfExists(scratch);
            }
        }
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

    private static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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
