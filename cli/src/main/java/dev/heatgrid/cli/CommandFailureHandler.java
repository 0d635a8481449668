package dev.heatgrid.cli;

import dev.heatgrid.segment.CreateOptionException;
import dev.heatgrid.segment.NothingToResumeException;
import dev.heatgrid.segment.SegmentBusyException;
import dev.heatgrid.segment.SegmentOwnerException;
import dev.heatgrid.solver.SetupException;
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
        boolean usage = e instanceof IllegalArgumentException || e instanceof UsageException
                || e instanceof CreateOptionException;
        err.println(command.getCommandSpec().qualifiedName() + ": " + describe(e));
        if (isVerbose(parseResult)) {
            e.printStackTrace(err);
        }
        err.flush();
        return usage ? USAGE : RUNTIME;
    }

    /**
     * The message a person needs: libraries name fields and values, so this is where a failure gets
     * the option that changes the outcome; exceptions whose message is only a path get a sentence
     * around it.
     */
    static String describe(Throwable e) {
        return switch (e) {
            case SegmentOwnerException o -> o.getReason() + "; pass --allow-other-owner to open it anyway";
            case SegmentBusyException b when b.reason() == SegmentBusyException.Reason.KEPT -> b.getMessage()
                    + " (heatgrid run SEGMENT --resume continues it; heatgrid clean --include-kept removes it)";
            case NothingToResumeException n -> n.getMessage() + ": run it again without --resume";
            case CreateOptionException c -> "--" + c.option() + ": " + c.getMessage();
            case SetupException s -> optionFor(s) + ": " + s.getMessage();
            default -> plain(e);
        };
    }

    /** The option of {@code run} that gives the setting a failure is about. */
    private static String optionFor(SetupException e) {
        return switch (e.setting()) {
            case KERNEL -> "--kernel";
            case KERNEL_JAR -> "--kernel-jar";
            case SIZE -> "--size";
            case SPACING -> "--spacing";
            case BOUNDARY -> "--boundary";
            case PARAMETER -> "--param " + e.parameter();
            case DT -> "--dt";
            case HEATER -> "--heater";
            case INITIAL -> "--init";
            case BUFFERS -> "--buffers";
            case KEEP -> "--keep";
        };
    }

    private static String plain(Throwable e) {
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
