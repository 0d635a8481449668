package dev.heatgrid.solver;

import dev.heatgrid.solver.spi.GridGeometry;
import java.util.Locale;

/**
 * A rectangle of source nodes held at a fixed temperature (of the first field): the engine writes
 * the temperature into them after every step, like Dirichlet edge nodes. Set with
 * {@code --param heater=X0,Y0,X1,Y1,TEMP}: nodes x0..x1 and y0..y1, both corners included.
 */
public record Heater(int x0, int y0, int x1, int y1, double temperature) {
    /** The parameter name. */
    public static final String KEY = "heater";
    /** No heater (text form {@code none}). */
    public static final Heater NONE = new Heater(0, 0, -1, -1, 0);

    public Heater {
        if (!Double.isFinite(temperature)) {
            throw new IllegalArgumentException("heater temperature is " + temperature + "; it must be a finite number");
        }
    }

    public boolean isNone() {
        return x1 < x0;
    }

    /** Parses {@code X0,Y0,X1,Y1,TEMP} or {@code none}. */
    public static Heater parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none") || t.isEmpty()) {
            return NONE;
        }
        String[] parts = t.split(",");
        String form = "heater '" + text + "' is not X0,Y0,X1,Y1,TEMP (nodes x0..x1, y0..y1 held at TEMP) or none";
        if (parts.length != 5) {
            throw new IllegalArgumentException(form);
        }
        try {
            int[] c = new int[4];
            for (int i = 0; i < 4; i++) {
                c[i] = Integer.parseInt(parts[i].trim());
            }
            double temperature = Double.parseDouble(parts[4].trim());
            if (c[2] < c[0] || c[3] < c[1]) {
                throw new IllegalArgumentException("heater corners " + text
                        + ": x1 must be >= x0 and y1 >= y0 (both corners are included)");
            }
            return new Heater(c[0], c[1], c[2], c[3], temperature);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(form);
        }
    }

    /** The nodes this heater holds, as kernels see them. */
    public dev.heatgrid.solver.spi.HeldNodes heldNodes() {
        return isNone() ? dev.heatgrid.solver.spi.HeldNodes.NONE : new dev.heatgrid.solver.spi.HeldNodes(x0, y0, x1, y1);
    }

    /** Refuses a rectangle that does not lie inside the grid, or a temperature the grid cannot hold ({@link CellValueLimit}). */
    public void checkFits(GridGeometry grid) {
        if (isNone()) {
            return;
        }
        CellValueLimit.check("heater temperature", temperature, grid);
        if (x0 < 0 || y0 < 0 || x1 >= grid.nx() || y1 >= grid.ny()) {
            throw new IllegalArgumentException("heater " + this + " reaches outside the " + grid.nx() + "x" + grid.ny()
                    + " grid; allowed x 0.." + (grid.nx() - 1) + ", y 0.." + (grid.ny() - 1));
        }
    }

    @Override
    public String toString() {
        return isNone() ? "none" : x0 + "," + y0 + "," + x1 + "," + y1 + "," + temperature;
    }
}
