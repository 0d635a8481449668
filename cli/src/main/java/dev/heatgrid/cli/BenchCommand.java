package dev.heatgrid.cli;

import dev.heatgrid.bench.ipc.BenchResults;
import dev.heatgrid.bench.ipc.BenchSuite;
import dev.heatgrid.bench.ipc.SolverVsReference;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code heatgrid bench}: issue 8's measurements (frame delivery between processes over the segment,
 * a pipe, a Unix socket and TCP; notification latency; consistent read vs copy; the solver with
 * viewers attached; frame to image) in about a minute, printed as a table, then the solver against
 * the C reference (when gcc is there; the table says so when not). {@code --vs-c} runs only that
 * comparison, at every size of issue 13's table. Starts helper JVMs.
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
        if (rounds != null && (!vsC || rounds < 1 || rounds > 100)) {
            throw new UsageException("--rounds " + rounds + ": allowed 1..100, and only with --vs-c");
        }
        if (csv != null && csv.toAbsolutePath().getParent() != null && !Files.isDirectory(csv.toAbsolutePath().getParent())) {
            throw new UsageException("--csv: directory " + csv.toAbsolutePath().getParent() + " does not exist");
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (vsC) {
            out.print(SolverVsReference.run(SolverVsReference.issueCases(), rounds == null ? 3 : rounds,
                    Heatgrid.class.getName(), step -> progress(err, step)));
            out.flush();
            return 0;
        }
        String plan = quick ? "smoke" : full ? "full" : "standard";
        BenchResults results = BenchSuite.run(plan, step -> progress(err, step));
        out.print(results.table());
        out.flush();
        if (csv != null) {
            Files.writeString(csv, results.csv());
        }
        List<SolverVsReference.Case> cases = quick ? List.of(new SolverVsReference.Case(128, 1, 1))
                : full ? SolverVsReference.issueCases()
                : List.of(new SolverVsReference.Case(512, 1, 1), new SolverVsReference.Case(512, 2, 1));
        out.println();
        out.print(SolverVsReference.run(cases, full ? 3 : 1, Heatgrid.class.getName(), step -> progress(err, step)));
        out.flush();
        return 0;
    }

    private static void progress(PrintWriter err, String step) {
        err.println("bench: " + step);
        err.flush();
    }
}
