package dev.heatgrid.cli;

import dev.heatgrid.solver.TerminationSignals;
import picocli.CommandLine;

/** Entry point of the {@code heatgrid} command. */
public final class Heatgrid {
    private static final String LOG_FORMAT = "java.util.logging.SimpleFormatter.format";

    private Heatgrid() {
    }

    public static void main(String[] args) {
        StandardStreams.adoptLauncherStderr();
        // The libraries' warnings (a steering command discarded, a lock taken over) in one line each, like
        // every other message, instead of java.util.logging's date-and-source line before the text.
        if (System.getProperty(LOG_FORMAT) == null) {
            System.setProperty(LOG_FORMAT, "heatgrid: %4$s: %5$s%6$s%n");
        }
        // This JVM ends with the command: a second Ctrl-C during a summary must not take its place.
        TerminationSignals.keepHandlersUntilExit();
        System.exit(newCommandLine().execute(args));
    }

    /**
     * The configured command line: usage errors exit 2 with one line on stderr, runtime failures exit
     * 1 with one line (a stack trace only with {@code --verbose}). Tests execute through this too.
     */
    public static CommandLine newCommandLine() {
        CommandLine commandLine = new CommandLine(new HeatgridCommand());
        CommandFailureHandler failures = new CommandFailureHandler();
        commandLine.setParameterExceptionHandler(failures);
        commandLine.setExecutionExceptionHandler(failures);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionStrategy(parseResult -> {
            Deprecations.announce(parseResult);
            return new CommandLine.RunLast().execute(parseResult);
        });
        ValueConverters.register(commandLine);
        return commandLine;
    }
}
