package dev.heatgrid.segment;

/**
 * Which part of a larger grid a segment holds: its origin cell in the global grid and the global
 * grid's size. A segment on a single host holds the whole grid: origin (0, 0), global size = its own.
 */
public record Tile(int originX, int originY, int globalNx, int globalNy) {

    public static Tile whole(int nx, int ny) {
        return new Tile(0, 0, nx, ny);
    }

    /** Checks that a tile of {@code nx} by {@code ny} cells fits inside the global grid. */
    void checkHolds(int nx, int ny) {
        if (originX < 0 || originY < 0) {
            throw new IllegalArgumentException("tile origin (" + originX + ", " + originY + ") must not be negative");
        }
        if ((long) originX + nx > globalNx || (long) originY + ny > globalNy) {
            throw new IllegalArgumentException("a " + nx + "x" + ny + " tile at (" + originX + ", " + originY
                    + ") does not fit in the " + globalNx + "x" + globalNy + " global grid");
        }
    }
}
