package dev.heatgrid.solver.spi;

import java.util.Locale;

/** The four edges of the grid. North is row {@code ny - 1}, south row 0, west column 0, east column {@code nx - 1}. */
public enum Edge {
    NORTH, SOUTH, WEST, EAST;

    /** The name users type: {@code north}, {@code south}, {@code west}, {@code east}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The edge across the grid, which a periodic edge wraps around to. */
    public Edge opposite() {
        return switch (this) {
            case NORTH -> SOUTH;
            case SOUTH -> NORTH;
            case WEST -> EAST;
            case EAST -> WEST;
        };
    }
}
