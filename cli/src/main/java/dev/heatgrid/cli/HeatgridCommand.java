package dev.heatgrid.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code heatgrid}: the top-level command; every subcommand is its own class. */
@Command(name = "heatgrid",
        mixinStandardHelpOptions = true,
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        description = {"Share live simulation grids between processes through shared memory.",
                "A segment is a name (plate = /dev/shm/plate.hgrid) or a path (anything with a '/')."},
        subcommands = {
                RunCommand.class,
                GatherCommand.class,
                ViewCommand.class,
                ServeCommand.class,
                InspectCommand.class,
                SnapshotCommand.class,
                RecordCommand.class,
                SteerCommand.class,
                KernelsCommand.class,
                CleanCommand.class,
                DemoCommand.class,
                BenchCommand.class,
                AutoComplete.GenerateCompletion.class})
public final class HeatgridCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** Accepted by every subcommand; read by {@link CommandFailureHandler}. */
    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces of failures.")
    boolean verbose;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
