package dev.heatgrid.solver;

import dev.heatgrid.solver.spi.GridGeometry;
import java.util.Locale;

/**
 * The one rule for how large a value the solver accepts for cells, wherever it comes from: an
 * initial condition, a heater, a steered heat disc. Every frame header carries each field's mean
 * (a sum over all cells) and total (that sum times dx·dy), and a stencil adds a few neighbours per
 * node, so a value is accepted only if all of that stays finite with room to spare:
 * <pre>
 *   |value| &lt;= Double.MAX_VALUE / (HEADROOM · cells · max(1, dx·dy))
 * </pre>
 * Beyond it a run would end "diverged" on its first frame, or a steering command would end it.
 */
final class CellValueLimit {
    /** Room for a stencil's sums of neighbours and for the kernels' intermediate terms. */
    private static final double HEADROOM = 64;

    private CellValueLimit() {
    }

    /** The largest magnitude a cell value may have on {@code grid}. */
    static double of(GridGeometry grid) {
        return Double.MAX_VALUE / (HEADROOM * grid.cells() * Math.max(1, grid.dx() * grid.dy()));
    }

    /** Returns {@code value}, or refuses it naming {@code what}, the value and the allowed range. */
    static double check(String what, double value, GridGeometry grid) {
        double limit = of(grid);
        if (!(Math.abs(value) <= limit)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s %s is out of range; allowed -%.3g .. %.3g"
                    + " on this %dx%d grid (larger values would overflow the frames' mean and total)", what, value, limit,
                    limit, grid.nx(), grid.ny()));
        }
        return value;
    }
}
