package dev.heatgrid.cli;

import dev.heatgrid.bench.ipc.BenchResults;
import dev.heatgrid.bench.ipc.BenchSuite;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heatgrid bench}: issue 8's measurements (frame delivery between processes over the segment,
 * a pipe, a Unix socket and TCP; notification latency; consistent read vs copy; the solver with
 * viewers attached; frame to image) in about a minute, printed as a table. Starts helper JVMs.
 */
@Command(name = "bench", description = {"Measure frame delivery between processes (segment vs pipe, Unix socket,"
        + " TCP), notification latency, consistent read vs copy, the solver with 0/1/4 viewers and frame to image;"
        + " print a table of medians. Takes about a minute and starts helper JVMs; figures are only as good as"
        + " the machine is quiet."})
final class BenchCommand implements Callable<Integer> {
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
        String plan = quick ? "smoke" : full ? "full" : "standard";
        PrintWriter err = spec.commandLine().getErr();
        BenchResults results = BenchSuite.run(plan, step -> {
            err.println("bench: " + step);
            err.flush();
        });
        PrintWriter out = spec.commandLine().getOut();
        out.print(results.table());
        out.flush();
        if (csv != null) {
            Files.writeString(csv, results.csv());
        }
        return 0;
    }
}
