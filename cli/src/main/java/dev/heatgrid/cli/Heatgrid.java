package dev.heatgrid.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import picocli.CommandLine;

/** Entry point of the {@code heatgrid} command. */
public final class Heatgrid {
    private Heatgrid() {
    }

    public static void main(String[] args) {
        useLauncherStderr();
        System.exit(newCommandLine().execute(args));
    }

    /**
     * The launcher filters the JVM's native stderr (to drop the incubator-module warning) and hands
     * over the real stderr as a file name; writing there keeps our messages in order with stdout.
     */
    private static void useLauncherStderr() {
        String target = System.getProperty("heatgrid.stderr");
        if (target == null) {
            return;
        }
        try {
            // Append: /dev/fd/3 reopens stderr's file, and a log file must be neither truncated nor overwritten.
            System.setErr(new PrintStream(new FileOutputStream(target, true), true, System.err.charset()));
        } catch (IOException e) {
            // keep the filtered stderr: messages still arrive, only perhaps a moment late
        }
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
        ValueConverters.register(commandLine);
        return commandLine;
    }
}
