package dev.heatgrid.cli;

import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How failures reach the user: one line on stderr naming the command and what is wrong, and an exit
 * code scripts can rely on — {@link #USAGE} for anything the user typed wrong (unknown option or
 * command, a value that does not parse or is out of range, conflicting options), {@link #RUNTIME}
 * for everything else (missing or broken segment, writer already running). A stack trace only with
 * {@code --verbose}.
 */
final class CommandFailureHandler implements IParameterExceptionHandler, IExecutionExceptionHandler {
    static final int USAGE = 2;
    static final int RUNTIME = 1;

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println(command.getCommandSpec().qualifiedName() + ": " + e.getMessage()
                + " (see " + command.getCommandSpec().qualifiedName() + " --help)");
        if (isVerbose(command.getParseResult())) {
            e.printStackTrace(err);
        }
        err.flush();
        return USAGE;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
        PrintWriter err = command.getErr();
        boolean usage = e instanceof IllegalArgumentException || e instanceof UsageException;
        err.println(command.getCommandSpec().qualifiedName() + ": " + describe(e));
        if (isVerbose(parseResult)) {
            e.printStackTrace(err);
        }
        err.flush();
        return usage ? USAGE : RUNTIME;
    }

    /** The message a person needs; exceptions whose message is only a path get a sentence around it. */
    static String describe(Throwable e) {
        if (e instanceof NoSuchFileException n) {
            return n.getReason() != null ? n.getReason() : "no such file: " + n.getFile();
        }
        if (e instanceof AccessDeniedException a) {
            return a.getReason() != null ? a.getReason() : "permission denied: " + a.getFile();
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    private static boolean isVerbose(ParseResult result) {
        for (ParseResult r = result; r != null; r = r.hasSubcommand() ? r.subcommand() : null) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }
}
