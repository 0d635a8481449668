package dev.heatgrid.solver.spi;

/**
 * The grid a kernel steps: {@code nx} by {@code ny} nodes, {@code dx} and {@code dy} apart. Node
 * (x, y) sits at physical position (x * dx, y * dy) and is stored at index {@code y * nx + x}. Row
 * {@code y = 0} is the south edge, {@code y = ny - 1} the north edge, column 0 the west edge.
 */
public record GridGeometry(int nx, int ny, double dx, double dy) {
    public GridGeometry {
        if (nx < 1 || ny < 1) {
            throw new IllegalArgumentException("grid is " + nx + "x" + ny + "; both sides must be >= 1");
        }
        if (!(dx > 0) || !(dy > 0) || Double.isInfinite(dx) || Double.isInfinite(dy)) {
            throw new IllegalArgumentException("grid spacing is " + dx + " x " + dy + "; both must be finite and > 0");
        }
    }

    /** Nodes in one field. */
    public long cells() {
        return (long) nx * ny;
    }

    /** Byte offset of row {@code y}'s first node within a field. */
    public long rowOffset(int y) {
        return (long) y * nx * Double.BYTES;
    }
}
