package dev.heatgrid.solver;

import java.util.Locale;

/**
 * Nodes per side of the grid, as users type it: {@code 512x512}, or {@code 512} for a square.
 * Sides run from {@link #MIN_SIDE} (an edge on each side and one node between) to {@link #MAX_SIDE}.
 */
public record GridSize(int nx, int ny) {
    public static final int MIN_SIDE = 3;
    public static final int MAX_SIDE = 1 << 20;

    public GridSize {
        check("nx", nx);
        check("ny", ny);
    }

    private static void check(String what, long side) {
        if (side < MIN_SIDE || side > MAX_SIDE) {
            throw new IllegalArgumentException("grid size " + what + " is " + side + "; allowed " + MIN_SIDE + ".." + MAX_SIDE);
        }
    }

    /** Parses {@code NXxNY} (e.g. {@code 512x256}) or {@code N} for N x N. */
    public static GridSize parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        int x = t.indexOf('x');
        try {
            if (x < 0) {
                long n = Long.parseLong(t);
                check("side", n);
                return new GridSize((int) n, (int) n);
            }
            long nx = Long.parseLong(t.substring(0, x).trim());
            long ny = Long.parseLong(t.substring(x + 1).trim());
            check("nx", nx);
            check("ny", ny);
            return new GridSize((int) nx, (int) ny);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("grid size '" + text + "' is not NXxNY (e.g. 512x512) or N; sides allowed "
                    + MIN_SIDE + ".." + MAX_SIDE);
        }
    }

    public long cells() {
        return (long) nx * ny;
    }

    @Override
    public String toString() {
        return nx + "x" + ny;
    }
}
