package dev.heatgrid.solver;

import dev.heatgrid.solver.spi.GridGeometry;

/**
 * A steering HEAT command: nodes within {@code radius} nodes of (x, y) are set to
 * {@code temperature} (first field) in the next step's frame.
 */
record HeatDisc(double x, double y, double radius, double temperature) {
    /** Checks a command's arguments against the grid; the message says what is wrong. */
    static HeatDisc of(double[] args, GridGeometry grid) {
        HeatDisc disc = new HeatDisc(args[0], args[1], args[2], args[3]);
        for (double a : args) {
            if (!Double.isFinite(a)) {
                throw new IllegalArgumentException("heat arguments must be finite numbers");
            }
        }
        CellValueLimit.check("heat temperature", disc.temperature, grid);
        if (disc.radius < 0 || disc.radius > Math.max(grid.nx(), grid.ny())) {
            throw new IllegalArgumentException("heat radius " + disc.radius + " is out of range; allowed 0.."
                    + Math.max(grid.nx(), grid.ny()) + " nodes");
        }
        if (disc.x < -disc.radius || disc.y < -disc.radius || disc.x > grid.nx() - 1 + disc.radius
                || disc.y > grid.ny() - 1 + disc.radius) {
            throw new IllegalArgumentException("heat disc at (" + disc.x + ", " + disc.y + ") radius " + disc.radius
                    + " misses the grid; x allowed 0.." + (grid.nx() - 1) + ", y 0.." + (grid.ny() - 1));
        }
        return disc;
    }

    boolean covers(int px, int py) {
        double ddx = px - x;
        double ddy = py - y;
        return ddx * ddx + ddy * ddy <= radius * radius;
    }
}
