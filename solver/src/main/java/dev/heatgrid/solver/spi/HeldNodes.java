package dev.heatgrid.solver.spi;

/**
 * A rectangle of interior nodes the engine holds at a fixed value after every step (the heater),
 * nodes x0..x1, y0..y1 of the first field, both corners included. Explicit kernels may ignore it.
 * Implicit kernels must treat these nodes like Dirichlet nodes inside their solves (an identity
 * row whose value is the source's), or the heat they exchange with their neighbours within one
 * step is wrong: re-imposing them only afterwards shifted an ADI steady state by 20% at 10x the
 * explicit step.
 */
public record HeldNodes(int x0, int y0, int x1, int y1) {
    public static final HeldNodes NONE = new HeldNodes(0, 0, -1, -1);

    public boolean isNone() {
        return x1 < x0 || y1 < y0;
    }

    public boolean contains(int x, int y) {
        return x >= x0 && x <= x1 && y >= y0 && y <= y1;
    }

    /** Whether row y crosses the rectangle. */
    public boolean coversRow(int y) {
        return !isNone() && y >= y0 && y <= y1;
    }

    /** Whether column x crosses the rectangle. */
    public boolean coversColumn(int x) {
        return !isNone() && x >= x0 && x <= x1;
    }
}
