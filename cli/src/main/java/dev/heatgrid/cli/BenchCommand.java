package dev.heatgrid.cli;

import dev.heatgrid.bench.ipc.BenchResults;
import dev.heatgrid.bench.ipc.BenchSuite;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
        String plan = quick ? "smoke" : full ? "full" : "standard";
        BenchResults results = BenchSuite.run(plan, progress::line);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(results.table());
        stdout.flush();
        if (file != null) {
            file.write(() -> Files.writeString(file.path(), results.csv()));
        }
        return 0;
    }
}
