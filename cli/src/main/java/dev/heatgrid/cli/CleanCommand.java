package dev.heatgrid.cli;

import dev.heatgrid.segment.SegmentCleaner;
import dev.heatgrid.segment.SegmentNames;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heatgrid clean [DIR]}: remove segments that every user has left or died holding. */
@Command(name = "clean", description = {"Remove segments no process is attached to (left behind by crashes).",
        "A segment some live process holds is never touched; kept segments (run --keep) stay unless"
                + " --include-kept."})
final class CleanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR",
            description = "Directory to clean (default: where bare segment names live, ${DEFAULT-VALUE}).")
    Path directory = SegmentNames.defaultDirectory();

    @Option(names = "--dry-run", description = "Say what would be removed; remove nothing.")
    boolean dryRun;

    @Option(names = "--include-kept", description = "Also remove unused segments created with --keep.")
    boolean includeKept;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(directory)) {
            throw new UsageException("'" + directory + "' is not a directory");
        }
        PrintWriter out = spec.commandLine().getOut();
        List<SegmentCleaner.Outcome> outcomes = SegmentCleaner.clean(directory, includeKept, dryRun);
        int removed = 0;
        for (SegmentCleaner.Outcome o : outcomes) {
            String verb = switch (o.action()) {
                case REMOVED -> dryRun ? "would remove" : "removed";
                case IN_USE -> "in use";
                case KEPT -> "kept";
                case SKIPPED -> "skipped";
            };
            removed += o.action() == SegmentCleaner.Action.REMOVED ? 1 : 0;
            out.printf("%-13s %s  (%s)%n", verb, o.path(), o.detail());
        }
        out.printf("%s %d of %d file(s) in %s%n", dryRun ? "would remove" : "removed", removed, outcomes.size(),
                directory);
        return 0;
    }
}
