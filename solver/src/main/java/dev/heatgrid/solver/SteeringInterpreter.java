package dev.heatgrid.solver;

import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.SteeringCommand;
import dev.heatgrid.solver.spi.Parameters;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the steering commands posted to the segment into requests the run carries out between
 * steps, and records what became of each one, with its reason, in the segment's command log. It
 * decides; {@link RunLoop} acts: a parameter change waits until nothing is unpublished, heat goes
 * into the next step, pause and stop end the current publication interval early.
 *
 * <p>An accepted command never ends a run: if a frame computed after a parameter change or a heat
 * disc took effect is not finite, the run loop discards it, {@link #undo}es those commands (the
 * parameters go back to what the published frame used) and says so in the log, and carries on.
 *
 * <p>Single-threaded: used by the run's plan between passes, while every worker waits.
 */
final class SteeringInterpreter {
    private final Solver solver;
    private final SegmentWriter writer;
    private final ProgressListener listener;

    private final List<HeatDisc> pendingHeat = new ArrayList<>();
    private final List<SteeringCommand> pendingHeatCommands = new ArrayList<>();
    /** The parameters the next step should use, if a command changed them; null if unchanged. */
    private Problem pendingProblem;
    private final List<SteeringCommand> pendingChangeCommands = new ArrayList<>();
    /** Commands whose effect is in steps computed since the last publication. */
    private final List<SteeringCommand> inEffect = new ArrayList<>();
    /** The parameters of the newest published frame, if a command changed them since; else null. */
    private Problem beforeEffect;
    private boolean pauseRequested;
    private boolean resumeRequested;
    private boolean stopRequested;
    /** A stop the tiles agreed on (tiled runs only). */
    private StopReason agreedStop;

    SteeringInterpreter(Solver solver, ProgressListener listener) {
        this.solver = solver;
        this.writer = solver.writer;
        this.listener = listener;
        if (solver.link != null) {
            solver.link.judge(this::judge);
        }
    }

    /**
     * Takes every posted command, interprets it as of {@code step} (the newest computed step), and
     * logs its outcome in the segment for the poster and for viewers.
     */
    void poll(long step) throws IOException {
        TileLink link = solver.link;
        for (SteeringCommand command = writer.takeCommand(); command != null; command = writer.takeCommand()) {
            if (link != null) {
                link.propose(command, step); // carried out below, once every tile agreed
                continue;
            }
            record(command, step, interpret(command, step));
        }
        if (link != null) {
            for (TileLink.Agreed agreed : link.agreed()) {
                if (agreed.command() == null) {
                    agreedStop = agreedStop != null ? agreedStop : agreed.stop();
                } else {
                    record(agreed.command(), step, agreed.refusal() != null ? agreed.refusal()
                            : interpret(agreed.command(), step));
                }
            }
        }
    }

    private void record(SteeringCommand command, long step, CommandOutcome outcome) throws IOException {
        writer.recordCommand(command, step, outcome);
        listener.onCommand(command, outcome);
    }

    /** What {@link #interpret} would decide at {@code step}, without carrying anything out. */
    private CommandOutcome judge(SteeringCommand command, long step) {
        return interpret(command, step, false);
    }

    private CommandOutcome interpret(SteeringCommand command, long step) {
        return interpret(command, step, true);
    }

    private CommandOutcome interpret(SteeringCommand command, long step, boolean carryOut) {
        if (command.code() == null) {
            return CommandOutcome.unknown("unknown command code " + command.rawCode());
        }
        try {
            return CommandOutcome.applied(switch (command.code()) {
                case PAUSE -> {
                    pauseRequested |= carryOut;
                    yield "pausing at step " + step;
                }
                case RESUME -> {
                    resumeRequested |= carryOut;
                    yield "resuming at step " + step;
                }
                case STOP -> {
                    stopRequested |= carryOut;
                    yield "stopping at step " + step;
                }
                case SET -> {
                    String done = set(command.key(), command.arg(0), step, carryOut);
                    if (carryOut) {
                        pendingChangeCommands.add(command);
                    }
                    yield done;
                }
                case HEAT -> {
                    HeatDisc disc = HeatDisc.of(command.args(), solver.placement.global());
                    if (carryOut) {
                        pendingHeat.add(disc);
                        pendingHeatCommands.add(command);
                    }
                    yield "heating " + disc + " in step " + (step + 1);
                }
            });
        } catch (IllegalArgumentException e) {
            return CommandOutcome.refused(e.getMessage());
        }
    }

    /** A steered parameter change, checked like a command-line one (range, stability). */
    private String set(String key, double value, long step, boolean carryOut) {
        Problem base = pendingProblem != null ? pendingProblem : solver.problem;
        Problem next;
        if (key.equals(Problem.DT)) {
            double dt = TimeStep.fixed(value).value();
            Problem.checkStable(base.kernel(), base.grid(), base.params(), dt);
            next = base.withParams(base.params(), dt);
        } else {
            Parameters params = base.params().with(key, value);
            Problem.checkStable(base.kernel(), base.grid(), params, base.dt());
            base.kernel().validate(base.grid(), base.boundary(), params);
            next = base.withParams(params, base.dt());
        }
        if (carryOut) {
            pendingProblem = next;
        }
        return "set " + key + "=" + (key.equals(Problem.DT) ? Double.toString(value) : next.params().spec(key).format(value))
                + " from step " + (step + 1);
    }

    /** Whether a parameter change waits for the run to reach a step boundary with nothing unpublished. */
    boolean changePending() {
        return pendingProblem != null;
    }

    /** Puts a pending parameter change into effect; call only with nothing unpublished. */
    void applyPendingChange() {
        if (pendingProblem != null) {
            if (beforeEffect == null) {
                beforeEffect = solver.problem;
            }
            solver.apply(pendingProblem);
            pendingProblem = null;
            inEffect.addAll(pendingChangeCommands);
            pendingChangeCommands.clear();
        }
    }

    /** The heat discs the next step must apply, handed over once. */
    List<HeatDisc> takeHeat() {
        if (pendingHeat.isEmpty()) {
            return List.of();
        }
        List<HeatDisc> heat = List.copyOf(pendingHeat);
        pendingHeat.clear();
        inEffect.addAll(pendingHeatCommands);
        pendingHeatCommands.clear();
        return heat;
    }

    /** Whether a parameter change or a heat disc took effect in the steps computed since the last publication. */
    boolean changedSincePublished() {
        return !inEffect.isEmpty();
    }

    /** A frame was published: what took effect before it is part of the run now. */
    void published() {
        inEffect.clear();
        beforeEffect = null;
    }

    /**
     * The steps since the last publication went non-finite after commands took effect in them: puts
     * the published frame's parameters back, and records each such command as undone, with why.
     *
     * @param badStep   the step whose frame was not finite
     * @param backTo    the step of the published frame the run continues from
     * @param whatWrong which field went non-finite and how
     */
    void undo(long badStep, long backTo, String whatWrong) throws IOException {
        if (beforeEffect != null) {
            solver.apply(beforeEffect);
        }
        List<SteeringCommand> undone = List.copyOf(inEffect);
        published();
        for (SteeringCommand command : undone) {
            record(command, backTo, CommandOutcome.refused("undone: step " + badStep + " after it was not finite ("
                    + whatWrong + "), which would have ended the run; the run goes on from step " + backTo
                    + " without it"));
        }
    }

    boolean pauseRequested() {
        return pauseRequested;
    }

    /** Whether RESUME arrived since the pause began. */
    boolean resumeRequested() {
        return resumeRequested;
    }

    /** Called when a pause begins and when it ends: a RESUME before the PAUSE does not count. */
    void clearPauseRequests() {
        pauseRequested = false;
        resumeRequested = false;
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** The stop every tile agreed on, or null (always null for a whole grid). */
    StopReason agreedStop() {
        return agreedStop;
    }
}
