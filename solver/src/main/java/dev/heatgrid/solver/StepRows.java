package dev.heatgrid.solver;

import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What the engine does to a band of rows of a step once the kernel's earlier passes are done: the
 * kernel's last pass (if it is one over rows), on a tile the nodes near its halo edges
 * ({@link TileLink#fix}), the constant fields carried over, the overrides (Dirichlet edges, heater,
 * heat discs), and on a publishing step the statistics of the rows as they end up and the largest
 * change, in that order. Called by every worker for its own rows (whole units of
 * {@link RowStatistics} on a publishing step); holds no state of its own.
 */
final class StepRows {
    private final Solver solver;
    private final GridGeometry grid;
    private final TileLink link;

    StepRows(Solver solver) {
        this.solver = solver;
        this.grid = solver.problem.grid();
        this.link = solver.link;
    }

    /**
     * Rows {@code y0..y1-1}: pass {@code pass} of the kernel if {@code kernelPass}, then the rest.
     *
     * @param scan  record the rows' statistics (a step that will be published; the rows are whole units)
     * @param delta record the rows' largest change since {@code sources}
     */
    void finish(Stepper stepper, StepFrame frame, List<MemorySegment> sources, List<MemorySegment> targets, int pass,
                boolean kernelPass, int y0, int y1, List<HeatDisc> heat, boolean scan, boolean delta) {
        if (kernelPass) {
            stepper.step(frame, pass, y0, y1);
        }
        if (link != null) {
            link.fix(targets, y0, y1);
        }
        carryConstantFields(sources, targets, y0, y1);
        solver.overrides.apply(targets, y0, y1, heat);
        if (scan) {
            solver.stats.scan(targets, y0, y1);
        }
        if (delta) {
            solver.stats.scanDelta(sources, targets, y0, y1);
        }
    }

    private void carryConstantFields(List<MemorySegment> sources, List<MemorySegment> targets, int y0, int y1) {
        for (int f = 0; f < targets.size(); f++) {
            if (!solver.evolving[f]) {
                long from = grid.rowOffset(y0);
                MemorySegment.copy(sources.get(f), from, targets.get(f), from, grid.rowOffset(y1) - from);
            }
        }
    }
}
