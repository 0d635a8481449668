package dev.heatgrid.solver;

import dev.heatgrid.solver.engine.TemporalTiling;
import dev.heatgrid.solver.engine.Work;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Sweep;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;

/**
 * The steps between two publications computed as rounds of a {@link TemporalTiling}: k levels (steps)
 * in two passes, block by block of rows while they are in cache, instead of k passes over the grid
 * ({@link RunLoop}'s other way to step). Level t of a round is step (first step + t); each level
 * reads the frame the level before it wrote, where the {@link PublicationSchedule} puts that step.
 * On the round that completes an interval, the last level's statistics are read back as the blocks
 * finish its units, and the units around the seams in a third pass.
 *
 * <p>Only a one-pass row kernel that declares its {@link dev.heatgrid.solver.spi.Kernel#stencilRadius()
 * stencil radius}, and never a tile of a split grid: its halo exchange hands over r rows of one state
 * per step, and k fused steps would need k * r rows of the neighbours' state, which only stepping one
 * at a time (exchange, step, exchange, ...) provides. The tilings are made once per round length and
 * reused, so a round allocates only its {@link StepFrame}s (their step and time change).
 */
final class FusedRounds {
    /** Fewest steps worth fusing: fewer save too little memory traffic to pay for the second pass. */
    static final int MIN_LEVELS = 4;
    /** Most steps fused in one tiling: more save little traffic and make the seams (one worker each) long. */
    static final int MAX_LEVELS = 16;

    private final Solver solver;
    private final GridGeometry grid;
    private final PublicationSchedule schedule;
    private final StepRows rows;
    private final RunControl control;
    private final boolean measureDelta;

    /** Passes kept for reuse: one for full rounds of {@link #MAX_LEVELS}, one for the last length used below that. */
    private Passes fullRounds;
    private Passes shortRounds;

    // The round being computed (read by the workers after the barrier that starts a pass).
    private Passes passes;
    private final StepFrame[] levelFrames = new StepFrame[MAX_LEVELS + 1];
    /** Time of the round's last step. */
    private double endTime;
    /** Step of the interval (1-based) that level 1 of the round computes. */
    private int firstLevelStep;
    /** Whether the round's last step completes the interval, so its rows' statistics and change are measured for publication. */
    private boolean publishes;
    /** Passes of the round begun so far: 1 the bands, 2 the seams, 3 the rest. */
    private int passesRun;
    private List<HeatDisc> heat = List.of();

    FusedRounds(Solver solver, PublicationSchedule schedule, StepRows rows, RunControl control, boolean measureDelta) {
        this.solver = solver;
        this.grid = solver.problem.grid();
        this.schedule = schedule;
        this.rows = rows;
        this.control = control;
        this.measureDelta = measureDelta;
    }

    /** Whether the {@code k} steps left in the interval can be fused. */
    boolean fit(int k) {
        Stepper stepper = solver.stepper;
        int radius = radius();
        return solver.link == null && k >= MIN_LEVELS && radius >= 1 && stepper.passes() == 1
                && stepper.sweep(0) == Sweep.ROWS
                && TemporalTiling.fits(grid.ny(), solver.engine.threads(), radius, Math.min(k, MAX_LEVELS));
    }

    /**
     * Starts a round of at most {@link #MAX_LEVELS} of the {@code k} steps left, from the state of
     * {@code step} at {@code time}, the discs of {@code heat} added in its first step; returns its first pass.
     */
    Work begin(int k, long step, double time, List<HeatDisc> heat) {
        int levels = Math.min(k, MAX_LEVELS);
        passes = levels == MAX_LEVELS ? fullRounds : shortRounds;
        if (passes == null || passes.levels != levels || passes.stepper != solver.stepper) {
            passes = new Passes(solver.stepper, levels);
            if (levels == MAX_LEVELS) {
                fullRounds = passes;
            } else {
                shortRounds = passes;
            }
        }
        this.heat = heat;
        firstLevelStep = schedule.done() + 1;
        publishes = schedule.done() + levels == schedule.length();
        double t = time;
        for (int level = 1; level <= levels; level++) {
            levelFrames[level] = new StepFrame(grid, solver.problem.boundary(), levelSource(level),
                    schedule.target(firstLevelStep + level - 1), step + level - 1, t);
            t += solver.problem.dt(); // the same additions as step by step, so the times are the same bits
        }
        endTime = t;
        passesRun = 1;
        return passes.bands;
    }

    /**
     * The round's pass after the one that just ended: the seams between the bands (if any), then on a
     * publishing round the statistics of the last level the bands could not read back (if any); null
     * once the round is complete.
     */
    Work nextPass() {
        if (passesRun == 1) {
            passesRun = 2;
            if (passes.seams != null) {
                return passes.seams;
            }
        }
        if (passesRun == 2) {
            passesRun = 3;
            if (publishes && passes.rest != null) {
                return passes.rest;
            }
        }
        return null;
    }

    /** Steps the round computed. */
    int levels() {
        return passes.levels;
    }

    /** Time of the round's last step, the same bits as adding dt step by step. */
    double endTime() {
        return endTime;
    }

    /** Lets go of the round's frames once it is complete or abandoned. */
    void end() {
        Arrays.fill(levelFrames, null);
        heat = List.of();
    }

    private int radius() {
        return solver.problem.kernel().stencilRadius().orElse(0);
    }

    private List<MemorySegment> levelSource(int level) {
        return level == 1 ? schedule.source() : schedule.target(firstLevelStep + level - 2);
    }

    /** A tiling and its two passes for one stepper and round length, reused round after round. */
    private final class Passes implements TemporalTiling.Rows {
        final Stepper stepper;
        final int levels;
        final TemporalTiling tiling;
        final Work bands;
        /** Null where the tiling has no seams (one band, rows not periodic). */
        final Work seams;
        /** Null where the bands read back every unit of the last level. */
        final Work rest;

        Passes(Stepper stepper, int levels) {
            this.stepper = stepper;
            this.levels = levels;
            int radius = radius();
            long rowBytes = (long) grid.nx() * Double.BYTES * solver.evolving.length;
            int blockRows = solver.blockRows > 0 ? solver.blockRows
                    : TemporalTiling.blockRows(rowBytes, radius, levels, TemporalTiling.cacheBudget());
            this.tiling = new TemporalTiling(grid.ny(), solver.engine.threads(), radius, levels, blockRows,
                    solver.problem.boundary().periodicY(), solver.stats.unitRows());
            this.bands = tiling.bands(this);
            this.seams = tiling.seams() > 0 ? tiling.seams(this) : null;
            this.rest = tiling.rests() > 0 ? tiling.rest(this) : null;
        }

        @Override
        public void advance(int level, int first, int end) {
            if (control.abandoned()) {
                return;
            }
            // No statistics here: a block's rows are not whole units of them (finished reads them back).
            boolean publishing = level == levels && publishes;
            rows.finish(stepper, levelFrames[level], levelSource(level), schedule.target(firstLevelStep + level - 1), 0,
                    true, first, end, level == 1 ? heat : List.of(), false, publishing && measureDelta);
        }

        @Override
        public void finished(int first, int end) {
            if (publishes && !control.abandoned()) {
                // Whole units (the tiling's grain), final: read back while a block's rows are in cache.
                solver.stats.scan(schedule.target(firstLevelStep + levels - 1), first, end);
            }
        }
    }
}
