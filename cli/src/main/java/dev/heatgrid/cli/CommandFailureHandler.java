package dev.heatgrid.cli;

import dev.heatgrid.segment.CreateOptionException;
import dev.heatgrid.segment.NothingToResumeException;
import dev.heatgrid.segment.SegmentBusyException;
import dev.heatgrid.segment.SegmentOwnerException;
import dev.heatgrid.solver.SetupException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

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
        err.println(command.getCommandSpec().qualifiedName() + ": " + parseMessage(e)
                + " (see " + command.getCommandSpec().qualifiedName() + " --help)");
        if (isVerbose(command.getParseResult())) {
            e.printStackTrace(err);
        }
        err.flush();
        if (command.getCommand() instanceof RunCommand) { // a rank across hosts: its peers must not wait for it
            RunCommand.refuseUnparsed(List.of(args), parseMessage(e));
        }
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

    /** picocli's message, except that a mistyped command or option gets a "did you mean". */
    static String parseMessage(ParameterException e) {
        if (!(e instanceof UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
            return e.getMessage();
        }
        CommandSpec spec = u.getCommandLine().getCommandSpec();
        String option = u.getUnmatched().stream().filter(CommandFailureHandler::looksLikeOption).findFirst().orElse(null);
        if (option != null) {
            var names = new ArrayList<String>();
            spec.options().stream().filter(o -> !o.hidden()).forEach(o -> names.addAll(List.of(o.names())));
            String typed = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
            return "unknown option '" + typed + "'" + didYouMean(typed, names);
        }
        if (!spec.subcommands().isEmpty() && spec.positionalParameters().isEmpty()) {
            var names = new ArrayList<String>();
            spec.subcommands().forEach((name, sub) -> {
                if (!sub.getCommandSpec().usageMessage().hidden()) {
                    names.add(name);
                }
            });
            String typed = u.getUnmatched().getFirst();
            String hint = didYouMean(typed, names);
            return "unknown command '" + typed + "'" + (hint.isEmpty() ? "; the commands are " + String.join(", ", names)
                    : hint);
        }
        return e.getMessage();
    }

    private static boolean looksLikeOption(String arg) {
        return arg.startsWith("-") && arg.length() > 1 && !Character.isDigit(arg.charAt(1)) && arg.charAt(1) != '.';
    }

    private static String didYouMean(String typed, List<String> names) {
        List<String> near = Suggestions.nearest(typed, names);
        return near.isEmpty() ? "" : "; did you mean " + String.join(" or ", near.stream().map(n -> "'" + n + "'")
                .toList()) + "?";
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
        if (e instanceof FileSystemException f && f.getReason() != null && f.getFile() != null) {
            return f.getFile() + ": " + f.getReason();
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
