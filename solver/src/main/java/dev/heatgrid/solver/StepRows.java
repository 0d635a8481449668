package dev.heatgrid.solver;

import dev.heatgrid.solver.engine.ScanningStepper;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Sweep;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What the engine does to a band of rows of a step once the kernel's earlier passes are done: the
 * kernel's last pass (if it is one over rows), the constant fields carried over, the overrides
 * (Dirichlet edges, heater, heat discs), and on a publishing step each row's statistics and the
 * largest change. Statistics come from inside the kernel's loop when it is a
 * {@link ScanningStepper}; then only the edge nodes are added, and rows the overrides rewrote
 * are read again. Called by every worker for its own rows; holds no state of its own.
 */
final class StepRows {
    private final Solver solver;
    private final GridGeometry grid;

    StepRows(Solver solver) {
        this.solver = solver;
        this.grid = solver.problem.grid();
    }

    /** Whether the stepper's statistics can come from its own loop: a one-pass row kernel that scans. */
    static boolean scansItself(Stepper stepper) {
        return stepper instanceof ScanningStepper && stepper.passes() == 1 && stepper.sweep(0) == Sweep.ROWS;
    }

    /**
     * Rows {@code y0..y1-1}: pass {@code pass} of the kernel if {@code kernelPass}, then the rest.
     *
     * @param scan  record the rows' statistics (a step that will be published)
     * @param delta record the rows' largest change since {@code sources}
     */
    void finish(Stepper stepper, StepFrame frame, List<MemorySegment> sources, List<MemorySegment> targets, int pass,
                boolean kernelPass, int y0, int y1, List<HeatDisc> heat, boolean scan, boolean delta) {
        boolean scanned = scan && kernelPass && scansItself(stepper);
        if (scanned) {
            ((ScanningStepper) stepper).stepScanned(frame, y0, y1, solver.stats.rows());
        } else if (kernelPass) {
            stepper.step(frame, pass, y0, y1);
        }
        carryConstantFields(sources, targets, y0, y1);
        solver.overrides.apply(targets, y0, y1, heat);
        if (scanned) {
            for (int f = 0; f < targets.size(); f++) {
                MemorySegment field = targets.get(f);
                for (int y = y0; y < y1; y++) {
                    if (!solver.evolving[f] || solver.overrides.rewritesInterior(f, y, heat)) {
                        solver.stats.scanRow(field, f, y);
                    } else {
                        solver.stats.rows().edges(f, y, field);
                    }
                }
            }
        } else if (scan) {
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
