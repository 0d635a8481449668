package dev.heatgrid.solver;

import dev.heatgrid.solver.engine.ScanningStepper;
import dev.heatgrid.solver.spi.Edge;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Sweep;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What the engine does to a band of rows of a step once the kernel's earlier passes are done: the
 * kernel's last pass (if it is one over rows), on a tile the nodes near its halo edges
 * ({@link TileLink#fix}), the constant fields carried over, the overrides (Dirichlet edges, heater,
 * heat discs), and on a publishing step each row's statistics and the largest change, in that
 * order. Statistics come from inside the kernel's loop when it is a {@link ScanningStepper}; then
 * only the edge nodes are added, and rows whose interior the halo fix or the overrides rewrote are
 * read again. Called by every worker for its own rows; holds no state of its own.
 */
final class StepRows {
    private final Solver solver;
    private final GridGeometry grid;
    private final TileLink link;
    /** Rows whose interior nodes the halo fix rewrites: below {@code haloSouth} and from {@code haloNorth} on. */
    private final int haloSouth;
    private final int haloNorth;
    /** Whether the halo fix rewrites interior columns of every row (a west or east halo wider than the edge column). */
    private final boolean haloColumns;

    StepRows(Solver solver) {
        this.solver = solver;
        this.grid = solver.problem.grid();
        this.link = solver.link;
        TilePlacement p = solver.placement;
        int r = link == null ? 0 : solver.problem.kernel().stencilRadius().orElse(0);
        this.haloSouth = p.hasHalo(Edge.SOUTH) ? r : 0;
        this.haloNorth = p.hasHalo(Edge.NORTH) ? grid.ny() - r : grid.ny();
        this.haloColumns = r > 1 && (p.hasHalo(Edge.WEST) || p.hasHalo(Edge.EAST));
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
        if (link != null) {
            link.fix(targets, y0, y1);
        }
        carryConstantFields(sources, targets, y0, y1);
        solver.overrides.apply(targets, y0, y1, heat);
        if (scanned) {
            for (int f = 0; f < targets.size(); f++) {
                MemorySegment field = targets.get(f);
                int y = y0;
                while (y < y1) {
                    // Runs of rows the kernel's scan saw as they end up get only their edges added;
                    // a row rewritten after the kernel is read again.
                    int rewritten = solver.evolving[f] ? nextRewrittenRow(f, y, y1, heat) : y;
                    solver.stats.rows().edges(f, y, rewritten, field);
                    if (rewritten < y1) {
                        solver.stats.scanRow(field, f, rewritten);
                    }
                    y = rewritten + 1;
                }
            }
        } else if (scan) {
            solver.stats.scan(targets, y0, y1);
        }
        if (delta) {
            solver.stats.scanDelta(sources, targets, y0, y1);
        }
    }

    /**
     * The first row of {@code y..end-1} whose nodes other than its two edge nodes were rewritten
     * after the kernel's scan, by {@link TileLink#fix} or the overrides; {@code end} if none.
     */
    private int nextRewrittenRow(int f, int y, int end, List<HeatDisc> heat) {
        if (haloColumns || y < haloSouth || y >= haloNorth) {
            return y;
        }
        return Math.min(Math.min(haloNorth, end), solver.overrides.nextRewrittenRow(f, y, end, heat));
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
