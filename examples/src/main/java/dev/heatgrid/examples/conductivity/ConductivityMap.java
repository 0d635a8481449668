package dev.heatgrid.examples.conductivity;

import dev.heatgrid.solver.spi.GridGeometry;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The conductivity maps the variable-conductivity kernel paints into its field {@code k} at step 0.
 * The good conductor has k = 1, the poor one k = contrast, so k never exceeds 1.
 */
enum ConductivityMap {
    /** k = 1 everywhere: the plain heat equation. */
    UNIFORM,
    /** Two materials bonded side by side: the west half conducts poorly. */
    COMPOSITE_PLATE,
    /** A metal fin (k = 1) from the west edge into still air (k = contrast), along the middle row. */
    COOLING_FIN;

    /** The fin spans this fraction of the grid's width and of its height. */
    private static final double FIN_LENGTH = 0.75;
    private static final double FIN_THICKNESS = 0.125;

    /** Map number {@code code} as the {@code map} parameter gives it. */
    static ConductivityMap of(long code) {
        return values()[(int) code];
    }

    /** What the {@code map} parameter's description lists: "0 uniform, 1 composite-plate, 2 cooling-fin". */
    static String choices() {
        return Arrays.stream(values()).map(m -> m.ordinal() + " " + m.name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', '-')).collect(Collectors.joining(", "));
    }

    double conductivity(GridGeometry grid, int x, int y, double contrast) {
        return switch (this) {
            case UNIFORM -> 1;
            case COMPOSITE_PLATE -> x < grid.nx() / 2 ? contrast : 1;
            case COOLING_FIN -> {
                double halfThickness = Math.max(1, grid.ny() * FIN_THICKNESS / 2);
                boolean inFin = x < grid.nx() * FIN_LENGTH && Math.abs(y - (grid.ny() - 1) / 2.0) < halfThickness;
                yield inFin ? 1 : contrast;
            }
        };
    }
}
