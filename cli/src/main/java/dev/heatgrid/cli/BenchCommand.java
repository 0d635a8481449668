package dev.heatgrid.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    @Spec
    CommandSpec spec;

    @Option(names = "--quick", description = "About half a minute (some 25 JVM starts): checks that every measurement runs; figures are rough.")
    boolean quick;

    @Option(names = "--full", description = "The long run docs/BENCHMARKS.md records (about 10 minutes).")
    boolean full;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write every figure to FILE as CSV"
            + " (input of dev.heatgrid.bench.ipc.BenchChartsMain).")
    Path csv;

    @Override
    public Integer call() throws Exception {
        if (quick && full) {
            throw new UsageException("--quick and --full exclude each other");
        }
        if (csv != null && csv.toAbsolutePath().getParent() != null && !Files.isDirectory(csv.toAbsolutePath().getParent())) {
            throw new UsageException("--csv: directory " + csv.toAbsolutePath().getParent() + " does not exist");
        }
        Path jar = benchmarksJar();
        var command = new ArrayList<>(List.of(java(), "--enable-native-access=ALL-UNNAMED", "--add-modules",
                "jdk.incubator.vector", "-Djava.awt.headless=true", "-cp", jar.toString(),
                "dev.heatgrid.bench.ipc.BenchSuite", quick ? "smoke" : full ? "full" : "standard"));
        if (csv != null) {
            command.add(csv.toAbsolutePath().toString());
        }
        Process suite = new ProcessBuilder(command).start();
        PrintWriter err = spec.commandLine().getErr();
        Thread progress = Thread.ofPlatform().start(() -> copy(suite.getErrorStream(), err));
        PrintWriter out = spec.commandLine().getOut();
        copy(suite.getInputStream(), out);
        int exit = suite.waitFor();
        progress.join();
        return exit == 0 ? 0 : CommandFailureHandler.RUNTIME;
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

    /** Copies the child's output line by line as it comes, so progress shows while the suite runs. */
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
            to.println("bench: lost the suite's output: " + e.getMessage());
        }
    }
}
