package dev.heatgrid.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where a command's progress goes: stderr, so that stdout holds only results ({@code run > log}
 * still shows progress on the terminal), and nowhere with {@code --quiet}. The same option and rule
 * on every command that reports progress.
 */
final class ProgressOutput {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--quiet", description = "No progress on stderr; results still go to stdout.")
    boolean quiet;

    boolean quiet() {
        return quiet;
    }

    /** stderr, for progress and for messages that must not be lost with --quiet either. */
    PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** One progress line, prefixed with the command's name, unless --quiet. */
    void line(String text) {
        if (!quiet) {
            PrintWriter err = err();
            err.println(command.qualifiedName() + ": " + text);
            err.flush();
        }
    }

    /** Whether progress may be a bar redrawn in place: stderr is a terminal. */
    boolean onTerminal() {
        return StandardStreams.isTerminal(StandardStreams.STDERR);
    }
}
