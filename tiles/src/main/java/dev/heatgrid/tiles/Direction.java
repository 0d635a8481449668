package dev.heatgrid.tiles;

/**
 * The eight neighbours of a tile, in the order halo blocks travel in a message. {@code dx, dy} step
 * from a tile to that neighbour in tile coordinates (x east, y north).
 */
enum Direction {
    WEST(-1, 0), EAST(1, 0), SOUTH(0, -1), NORTH(0, 1),
    SOUTH_WEST(-1, -1), SOUTH_EAST(1, -1), NORTH_WEST(-1, 1), NORTH_EAST(1, 1);

    final int dx;
    final int dy;

    Direction(int dx, int dy) {
        this.dx = dx;
        this.dy = dy;
    }

    /** The direction whose dx and dy are these, or null for (0, 0). */
    static Direction of(int dx, int dy) {
        for (Direction d : values()) {
            if (d.dx == dx && d.dy == dy) {
                return d;
            }
        }
        return null;
    }
}
