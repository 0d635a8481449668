package dev.heatgrid.solver;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.WriterState;
import dev.heatgrid.solver.engine.Work;
import dev.heatgrid.solver.engine.WorkPlan;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Sweep;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One run of a {@link Solver}, as the engine's {@link WorkPlan}: {@link #next} runs between passes
 * while every worker waits, so all of the bookkeeping below is single-threaded. Where each step
 * reads and writes is the {@link PublicationSchedule}'s business; what steering asks for is the
 * {@link SteeringInterpreter}'s; when the stop condition holds, the {@link StopRule}'s; this class
 * sequences the passes, weighs the reasons to end (a signal, steering, a diverged frame, the
 * condition; on a tile, what the tiles agreed), and reports progress.
 *
 * <p>The steps of a publication interval go one at a time, or, where {@link FusedRounds} can fuse
 * them, as its rounds of two passes each. The passes are made once per run and reused, so a step
 * allocates no more than its {@link StepFrame} (its step and time change) and a publication its
 * statistics.
 */
final class RunLoop implements WorkPlan {
    private enum Phase { BETWEEN, PASS, FLUSH, ROUND }

    private static final long PAUSE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Solver solver;
    private final SegmentWriter writer;
    private final GridGeometry grid;
    private final StopRule stop;
    private final RunControl control;
    private final ProgressListener listener;
    private final PublicationSchedule schedule;
    private final SteeringInterpreter steering;
    private final StepRows rows;
    private final long progressEvery;
    private long lastProgress;
    private boolean progressSent;
    private final long startNanos = System.nanoTime();
    private long pausedNanos;
    private long stepsDone;

    /** Step and time of the newest computed state (published or not). */
    private long step;
    private double time;
    private Phase phase = Phase.BETWEEN;

    // The step being computed, step by step (read by the workers after the barrier that starts a pass).
    private StepFrame frame;
    private List<MemorySegment> sources;
    private List<MemorySegment> targets;
    private int pass;
    private int passCount;
    private boolean publishThisStep;
    private List<HeatDisc> heatThisStep = List.of();
    private final Work kernelPass = new KernelPass();
    private final Work lastPass = new LastPass();
    private final Work flushPass = new FlushPass();

    private final FusedRounds rounds;

    private boolean diverged;
    private double lastMaxDelta = Double.NaN;
    private List<FieldStats> lastStats;
    private StopReason reason;

    RunLoop(Solver solver, StopCondition stop, RunControl control, ProgressListener listener) {
        this.solver = solver;
        this.writer = solver.writer;
        this.grid = solver.problem.grid();
        this.stop = new StopRule(stop, solver.time, this::activeNanos);
        this.control = control;
        this.listener = listener;
        this.schedule = new PublicationSchedule(solver);
        this.steering = new SteeringInterpreter(solver, listener);
        this.rows = new StepRows(solver);
        this.rounds = new FusedRounds(solver, schedule, rows, control, this.stop.measuresChange());
        this.progressEvery = listener.progressIntervalNanos();
        this.step = solver.step;
        this.time = solver.time;
        this.lastStats = writer.publishedHeader().stats();
    }

    @Override
    public Work next() throws IOException {
        switch (phase) {
            case PASS -> {
                if (control.abandoned()) {
                    // Some workers may have skipped their chunks: this step is partial and must
                    // never be published. (This runs after every worker, so it sees any flag they saw.)
                    phase = Phase.BETWEEN;
                    return betweenSteps();
                }
                if (pass + 1 < passCount) {
                    pass++;
                    return passWork();
                }
                completeStep();
            }
            case ROUND -> {
                if (control.abandoned()) {
                    rounds.end(); // partial like an abandoned step, never published
                    phase = Phase.BETWEEN;
                    return betweenSteps();
                }
                Work more = rounds.nextPass();
                if (more != null) {
                    return more;
                }
                if (completeRound()) {
                    publish(); // the round read the last level's statistics back (FusedRounds)
                }
            }
            case FLUSH -> publish();
            case BETWEEN -> {
            }
        }
        phase = Phase.BETWEEN;
        return betweenSteps();
    }

    private Work betweenSteps() throws IOException {
        while (true) {
            writer.heartbeat();
            if (control.abandoned()) {
                reason = control.stopRequested();
                return null; // leave the unpublished steps: the published frame stays the last word
            }
            steering.poll(step);
            StopReason r = stopReason();
            if (schedule.unpublished() && (r != null || steering.pauseRequested() || steering.changePending())) {
                phase = Phase.FLUSH;
                return flushPass;
            }
            if (r != null) {
                reason = r;
                return null;
            }
            steering.applyPendingChange();
            if (steering.pauseRequested()) {
                pause();
                continue;
            }
            return beginStep();
        }
    }

    private Work beginStep() throws IOException {
        if (solver.link != null) {
            // Before the back buffer is marked in progress (schedule.open): a tile that waits here for
            // a lost neighbour keeps every frame it published intact, for a resume from the common step.
            solver.link.exchange(step, time, schedule.source());
        }
        long bound = stop.stepsBound(stepsDone, time, solver.problem.dt(), solver.publishEvery);
        int remaining = schedule.open(bound);
        if (rounds.fit(remaining)) {
            phase = Phase.ROUND;
            return rounds.begin(remaining, step, time, steering.takeHeat());
        }
        targets = schedule.nextTarget();
        sources = schedule.source();
        publishThisStep = schedule.publishesAfterThisStep();
        heatThisStep = steering.takeHeat();
        frame = new StepFrame(grid, solver.problem.boundary(), sources, targets, step, time);
        Stepper stepper = solver.stepper;
        passCount = stepper.passes() + (stepper.sweep(stepper.passes() - 1) == Sweep.COLUMNS ? 1 : 0);
        pass = 0;
        phase = Phase.PASS;
        return passWork();
    }

    /** The work of pass {@code pass}; the last one also fixes up, carries and scans each chunk of rows. */
    private Work passWork() {
        return pass < passCount - 1 ? kernelPass : lastPass;
    }

    /** A pass of the kernel before its last one, over rows or columns. */
    private final class KernelPass implements Work {
        @Override
        public int lines() {
            return solver.stepper.sweep(pass) == Sweep.ROWS ? grid.ny() : grid.nx();
        }

        @Override
        public void run(int worker, int first, int end) {
            if (!control.abandoned()) {
                solver.stepper.step(frame, pass, first, end);
            }
        }
    }

    /**
     * The last pass, chunk by chunk of rows: the kernel's last row pass (if any) and what follows it
     * ({@link StepRows}). Its lines are units of the statistics' rows, so that no unit is split between
     * workers however many there are.
     */
    private final class LastPass implements Work {
        @Override
        public int lines() {
            return units();
        }

        @Override
        public void run(int worker, int first, int end) {
            Stepper stepper = solver.stepper;
            boolean kernel = pass < stepper.passes();
            int chunk = solver.chunkRows;
            for (int y0 = first * unitRows(), y1 = rowsEnd(end); y0 < y1; y0 += chunk) {
                if (control.abandoned()) {
                    return;
                }
                rows.finish(stepper, frame, sources, targets, pass, kernel, y0, Math.min(y1, y0 + chunk), heatThisStep,
                        publishThisStep, publishThisStep && stop.measuresChange());
            }
        }

        @Override
        public int grain() {
            return solver.chunkRows / unitRows();
        }
    }

    /** Brings the newest unpublished step into the back buffer (if it is in scratch) and scans it, unit by unit as {@link LastPass}. */
    private final class FlushPass implements Work {
        @Override
        public int lines() {
            return units();
        }

        @Override
        public void run(int worker, int first, int end) {
            List<MemorySegment> from = schedule.source();
            List<MemorySegment> to = schedule.back();
            boolean copy = schedule.flushNeedsCopy();
            int chunk = solver.chunkRows;
            for (int y0 = first * unitRows(), y1 = rowsEnd(end); y0 < y1; y0 += chunk) {
                int y = Math.min(y1, y0 + chunk);
                if (copy) {
                    long offset = grid.rowOffset(y0);
                    for (int fi = 0; fi < to.size(); fi++) {
                        MemorySegment.copy(from.get(fi), offset, to.get(fi), offset, grid.rowOffset(y) - offset);
                    }
                }
                solver.stats.scan(to, y0, y);
            }
        }

        @Override
        public int grain() {
            return solver.chunkRows / unitRows();
        }
    }

    private int unitRows() {
        return solver.stats.unitRows();
    }

    /** Units of the statistics' rows in the grid: the lines of the passes that scan. */
    private int units() {
        return (grid.ny() + unitRows() - 1) / unitRows();
    }

    /** One past the last row of the units before {@code endUnit}. */
    private int rowsEnd(int endUnit) {
        return Math.min(grid.ny(), endUnit * unitRows());
    }

    /** Books the round's steps; true if they complete the interval, which then wants its publication. */
    private boolean completeRound() {
        int levels = rounds.levels();
        step += levels;
        time = rounds.endTime();
        stepsDone += levels;
        solver.blockedSteps += levels;
        schedule.advanced(levels);
        rounds.end();
        if (!schedule.complete()) {
            return false;
        }
        if (stop.measuresChange()) {
            lastMaxDelta = solver.stats.maxDelta();
        }
        return true;
    }

    private void completeStep() throws IOException {
        step++;
        time += solver.problem.dt();
        stepsDone++;
        schedule.stepped(targets);
        frame = null;
        if (publishThisStep) {
            if (stop.measuresChange()) {
                if (solver.link == null) {
                    lastMaxDelta = solver.stats.maxDelta();
                } else {
                    // This tile's change only; the run's is the largest over all tiles (tileStopReason).
                    solver.link.offerMaxDelta(step, solver.stats.maxDelta());
                }
            }
            publish();
        }
    }

    private void publish() throws IOException {
        List<FieldStats> stats = solver.stats.combine();
        String notFinite = notFinite(stats);
        if (notFinite != null && solver.link == null && steering.changedSincePublished()) {
            // What a steering command did broke the numbers: undo it rather than end the run.
            long badStep = step;
            stepsDone -= step - solver.step;
            step = solver.step;
            time = solver.time;
            schedule.discardUnpublished();
            steering.undo(badStep, step, notFinite);
            return;
        }
        writer.publish(step, time, stats, solver.paramsText);
        solver.step = step;
        solver.time = time;
        schedule.published();
        steering.published();
        lastStats = stats;
        diverged |= notFinite != null;
        long now = System.nanoTime();
        if (!progressSent || now - lastProgress >= progressEvery) { // a Progress only when the listener wants one
            progressSent = true;
            lastProgress = now;
            listener.onProgress(progress(false));
        }
    }

    /** What is not finite in a frame's statistics, in words; null if all is finite. */
    private String notFinite(List<FieldStats> stats) {
        for (int f = 0; f < stats.size(); f++) {
            FieldStats s = stats.get(f);
            if (!Double.isFinite(s.min()) || !Double.isFinite(s.max()) || !Double.isFinite(s.mean())) {
                return "field " + solver.problem.fields().get(f).name() + ": min " + s.min() + ", max " + s.max()
                        + ", mean " + s.mean();
            }
        }
        return null;
    }

    private StopReason stopReason() {
        if (solver.link != null) {
            return tileStopReason(solver.link);
        }
        if (diverged) {
            return StopReason.DIVERGED;
        }
        StopReason requested = control.stopRequested();
        if (requested != null) {
            return requested;
        }
        if (steering.stopRequested()) {
            return StopReason.STEERED;
        }
        return conditionMet();
    }

    /**
     * A tile stops only where every tile stops. Step counts and end times are reached at the same
     * step everywhere (the tiles checked at start that they were given the same ones); anything
     * else (a signal, a diverged frame, a wall clock) is proposed and carried out once agreed.
     */
    private StopReason tileStopReason(TileLink link) {
        StopReason agreed = steering.agreedStop();
        if (agreed != null) {
            return agreed;
        }
        if (steering.stopRequested()) {
            return StopReason.STEERED; // a steered stop, carried out at the step every tile agreed on
        }
        if (diverged) {
            link.proposeStop(StopReason.DIVERGED, step);
        }
        StopReason requested = control.stopRequested();
        if (requested != null) {
            link.proposeStop(requested, step);
        }
        for (TileLink.MaxDelta m = link.nextMaxDelta(); m != null; m = link.nextMaxDelta()) {
            // The same reductions reach every tile at the same exchange, so every tile finds the
            // steady state at the same one; the tiles computed a few steps beyond the step it was
            // measured at, which TileRun publishes again as the newest frame.
            lastMaxDelta = m.value();
            if (conditionMet() == StopReason.STEADY_STATE) {
                return StopReason.STEADY_STATE;
            }
        }
        StopReason met = conditionMet();
        if (met == StopReason.STEPS_DONE || met == StopReason.TIME_REACHED) {
            return met;
        }
        if (met != null) {
            link.proposeStop(met, step);
        }
        return null;
    }

    private StopReason conditionMet() {
        return stop.met(stepsDone, time, solver.problem.dt(), lastMaxDelta);
    }

    /** Waits for RESUME (or a stop) while heart-beating and taking commands; nothing is unpublished here. */
    private void pause() throws IOException {
        steering.clearPauseRequests();
        long pausedAt = System.nanoTime();
        writer.setState(WriterState.PAUSED);
        listener.onProgress(progress(true));
        while (!steering.resumeRequested() && !steering.stopRequested() && !pauseEndsByStop()) {
            if (solver.link != null) {
                solver.link.idle(step); // paces the pause and carries the agreement on
            } else {
                LockSupport.parkNanos(PAUSE_POLL_NANOS);
            }
            if (Thread.interrupted()) {
                control.requestStop(StopReason.REQUESTED);
            }
            writer.heartbeat();
            steering.poll(step);
            steering.applyPendingChange();
        }
        steering.clearPauseRequests();
        pausedNanos += System.nanoTime() - pausedAt;
        writer.setState(WriterState.RUNNING);
        listener.onProgress(progress(false));
    }

    /** A signal ends a pause at once; on a tile, once the other tiles agreed to stop too. */
    private boolean pauseEndsByStop() {
        StopReason requested = control.stopRequested();
        if (solver.link == null) {
            return requested != null;
        }
        if (requested != null) {
            solver.link.proposeStop(requested, step);
        }
        return steering.agreedStop() != null;
    }

    private long activeNanos() {
        return System.nanoTime() - startNanos - pausedNanos;
    }

    private double mlups(long nanos) {
        return nanos <= 0 ? 0 : grid.cells() * (double) stepsDone / (nanos / 1e3);
    }

    private Progress progress(boolean paused) {
        long active = activeNanos();
        double f = stop.fraction(stepsDone, time);
        Duration eta = f > 0 && f <= 1 ? Duration.ofNanos((long) (active * (1 - f) / f)) : null;
        return new Progress(solver.step, solver.time, writer.generation(), stepsDone, f, Duration.ofNanos(active), eta,
                mlups(active), paused, lastMaxDelta, lastStats.get(0));
    }

    RunResult result() {
        long active = activeNanos();
        return new RunResult(reason == null ? StopReason.REQUESTED : reason, stepsDone, solver.step, solver.time,
                writer.generation(), Duration.ofNanos(active), mlups(active));
    }

}
