package dev.heatgrid.cli;

import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.SteeringClient;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.segment.SteeringTimeoutException;
import dev.heatgrid.solver.Heater;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heatgrid steer SEGMENT ACTION}: pause, resume, stop, set a parameter or inject heat while it runs. */
@Command(name = "steer", description = {"Steer a running solver through the segment's control area.",
        "ACTION is one of:",
        "  pause | resume | stop",
        "  set KEY=VALUE          change a declared parameter, e.g. set alpha=2.5",
        "  heat X,Y,RADIUS,TEMP   hold a disc (cells) at a temperature for one step, e.g. heat 64,64,5,100"},
        footer = {"", "Examples:", "  heatgrid steer plate set alpha=2.5", "  heatgrid steer plate heat 256,256,20,300",
                "  heatgrid steer plate stop --timeout 30s",
                "Exit status: 0 applied, 2 refused by the solver (bad name or value), 1 not applied (no running"
                        + " solver, or no answer within --timeout: the command then expires and is never applied later)."})
final class SteerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SegmentArgument segment;

    @Parameters(index = "1", paramLabel = "ACTION", completionCandidates = Actions.class,
            description = "pause, resume, stop, set or heat.")
    String action;

    @Parameters(index = "2..*", paramLabel = "ARG", arity = "0..1", description = "KEY=VALUE for set; X,Y,RADIUS,TEMP for heat.")
    List<String> arguments = List.of();

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s",
            description = "How long the whole exchange may take: the lock, posting, and the solver's answer"
                    + " (default ${DEFAULT-VALUE}). A command not taken by then expires.")
    Duration timeout;

    /** The ACTION words, for completion. */
    static final class Actions implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("pause", "resume", "stop", "set", "heat").iterator();
        }
    }

    /** A parsed action: the code, the parameter name (SET) and the numbers. */
    record Action(SteeringCode code, String key, double[] args) {
    }

    @Override
    public Integer call() throws Exception {
        Action parsed = parse(action, arguments);
        if (timeout.isZero() || timeout.isNegative()) {
            throw new UsageException("--timeout must be positive");
        }
        SteeringClient.Outcome outcome;
        try {
            outcome = apply(segment.path(), segment.allowOtherOwner(), parsed, timeout);
        } catch (SteeringTimeoutException e) {
            // Untaken commands expire (FORMAT.md 4): the message must say it will never be applied.
            throw new IOException((e.taken() ? "no answer within " : "not applied within ")
                    + HumanFormat.duration(timeout.toMillis()) + " (--timeout): " + e.getMessage()
                    + (e.taken() ? " (heatgrid inspect " + segment.path() + ")" : ""), e);
        }
        CommandRecord r = outcome.record();
        String why = outcome.message().isEmpty() ? "" : ": " + outcome.message();
        if (r.applied()) {
            spec.commandLine().getOut().println("applied at step " + r.step() + why);
            return 0;
        }
        spec.commandLine().getErr().println("heatgrid steer: " + switch (r.result()) {
            case CommandRecord.REFUSED -> "refused by the solver";
            case CommandRecord.DISCARDED -> "not applied";
            default -> "the solver does not know this command";
        } + why);
        return r.result() == CommandRecord.REFUSED ? CommandFailureHandler.USAGE : CommandFailureHandler.RUNTIME;
    }

    /**
     * Posts a parsed action and waits for the solver's outcome, the lock wait included, all within
     * {@code timeout}: {@code steer} itself and the page of {@code serve --allow-steer} both come
     * through here.
     *
     * @throws IOException no running solver, or no outcome within {@code timeout}
     */
    static SteeringClient.Outcome apply(Path segment, boolean allowOtherOwner, Action parsed, Duration timeout)
            throws IOException {
        try (SteeringClient client = SteeringClient.open(segment, allowOtherOwner)) {
            return client.send(parsed.code(), parsed.key(), timeout, parsed.args());
        }
    }

    /** Parses ACTION and its argument, naming what is wrong and what is allowed. */
    static Action parse(String action, List<String> arguments) {
        String verb = action.toLowerCase(java.util.Locale.ROOT);
        return switch (verb) {
            case "pause", "resume", "stop" -> {
                noArgument(verb, arguments);
                yield new Action(SteeringCode.valueOf(verb.toUpperCase(java.util.Locale.ROOT)), "", new double[0]);
            }
            case "set" -> {
                String kv = oneArgument(verb, arguments, "KEY=VALUE");
                int eq = kv.indexOf('=');
                if (eq <= 0 || eq == kv.length() - 1) {
                    throw new UsageException("set: '" + kv + "' is not KEY=VALUE (e.g. alpha=2.5)");
                }
                if (kv.substring(0, eq).equals(Heater.KEY)) {
                    throw new UsageException("set: " + Heater.KEY + " is not steerable (a run sets it once, with"
                            + " --heater X0,Y0,X1,Y1,TEMP); to add heat while it runs, use heat X,Y,RADIUS,TEMP");
                }
                yield new Action(SteeringCode.SET, kv.substring(0, eq), new double[] {number("set " + kv.substring(0, eq),
                        kv.substring(eq + 1))});
            }
            case "heat" -> {
                String spec = oneArgument(verb, arguments, "X,Y,RADIUS,TEMP");
                String[] parts = spec.split(",");
                if (parts.length != 4) {
                    throw new UsageException("heat: '" + spec + "' is not X,Y,RADIUS,TEMP (e.g. 64,64,5,100)");
                }
                double[] args = new double[4];
                String[] names = {"X", "Y", "RADIUS", "TEMP"};
                for (int i = 0; i < 4; i++) {
                    args[i] = number("heat " + names[i], parts[i]);
                }
                yield new Action(SteeringCode.HEAT, "", args);
            }
            default -> throw new UsageException("unknown action '" + action + "'; use pause, resume, stop, set KEY=VALUE"
                    + " or heat X,Y,RADIUS,TEMP");
        };
    }

    private static void noArgument(String verb, List<String> arguments) {
        if (!arguments.isEmpty()) {
            throw new UsageException(verb + " takes no argument, got '" + arguments.getFirst() + "'");
        }
    }

    private static String oneArgument(String verb, List<String> arguments, String form) {
        if (arguments.isEmpty()) {
            throw new UsageException(verb + " needs " + form);
        }
        return arguments.getFirst();
    }

    private static double number(String what, String text) {
        try {
            double value = Double.parseDouble(text.trim());
            if (!Double.isFinite(value)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException(what + ": '" + text + "' is not a finite number");
        }
    }
}
