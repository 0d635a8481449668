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
 * <p>Single-threaded: used by the run's plan between passes, while every worker waits.
 */
final class SteeringInterpreter {
    private final Solver solver;
    private final SegmentWriter writer;
    private final ProgressListener listener;

    private final List<HeatDisc> pendingHeat = new ArrayList<>();
    /** The parameters the next step should use, if a command changed them; null if unchanged. */
    private Problem pendingProblem;
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
                case SET -> set(command.key(), command.arg(0), step, carryOut);
                case HEAT -> {
                    HeatDisc disc = HeatDisc.of(command.args(), solver.placement.global());
                    if (carryOut) {
                        pendingHeat.add(disc);
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
            solver.apply(pendingProblem);
            pendingProblem = null;
        }
    }

    /** The heat discs the next step must apply, handed over once. */
    List<HeatDisc> takeHeat() {
        if (pendingHeat.isEmpty()) {
            return List.of();
        }
        List<HeatDisc> heat = List.copyOf(pendingHeat);
        pendingHeat.clear();
        return heat;
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
