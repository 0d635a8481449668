package dev.heatgrid.solver.spi;

import java.util.Locale;

/**
 * What holds on one edge of the grid.
 * <ul>
 *   <li>{@code dirichlet:V}: the edge nodes are fixed at V; the engine writes V into them after
 *       every step, so kernels may compute them or not.</li>
 *   <li>{@code neumann}: insulated. The node just outside the edge mirrors the edge node itself
 *       (zero flux across the face between them), so the sum of all nodes is conserved exactly by a
 *       flux-form stencil.</li>
 *   <li>{@code periodic}: the grid wraps around to the opposite edge, which must be periodic too.</li>
 * </ul>
 *
 * @param kind  which of the three
 * @param value the fixed value for Dirichlet edges, 0 otherwise
 */
public record EdgeCondition(Kind kind, double value) {
    /**
     * HALO is never typed by a user: it marks the edge of a tile that borders another tile of the
     * same grid (docs/DISTRIBUTED.md). A kernel reading across it gets the edge node itself; the
     * engine then recomputes the nodes within the kernel's stencil radius of that edge from the
     * neighbour's nodes, so what the kernel computed there never survives.
     */
    public enum Kind { DIRICHLET, NEUMANN, PERIODIC, HALO }

    public static final EdgeCondition NEUMANN = new EdgeCondition(Kind.NEUMANN, 0);
    public static final EdgeCondition PERIODIC = new EdgeCondition(Kind.PERIODIC, 0);
    /** A tile edge fed from the neighbouring tile. */
    public static final EdgeCondition HALO = new EdgeCondition(Kind.HALO, 0);

    public EdgeCondition {
        if (kind == null) {
            throw new IllegalArgumentException("edge condition kind is missing");
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("Dirichlet value is " + value + "; it must be a finite number");
        }
        if (kind != Kind.DIRICHLET && value != 0) {
            throw new IllegalArgumentException(kind.name().toLowerCase(Locale.ROOT) + " edges take no value");
        }
    }

    public static EdgeCondition dirichlet(double value) {
        return new EdgeCondition(Kind.DIRICHLET, value);
    }

    public boolean isDirichlet() {
        return kind == Kind.DIRICHLET;
    }

    /**
     * Parses {@code dirichlet:V}, {@code dirichlet} (V = 0), {@code neumann} or {@code periodic}.
     *
     * @throws IllegalArgumentException naming the bad text and the allowed forms
     */
    public static EdgeCondition parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("neumann") || t.equals("insulated")) {
            return NEUMANN;
        }
        if (t.equals("periodic")) {
            return PERIODIC;
        }
        if (t.equals("dirichlet")) {
            return dirichlet(0);
        }
        if (t.startsWith("dirichlet:")) {
            String v = t.substring("dirichlet:".length());
            double value;
            try {
                value = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Dirichlet value '" + v + "' is not a number (e.g. dirichlet:100)");
            }
            return dirichlet(value);
        }
        throw new IllegalArgumentException("edge condition '" + text
                + "' is not one of dirichlet:VALUE, dirichlet (= dirichlet:0), neumann, periodic");
    }

    /** The text {@link #parse} reads back to an equal condition. */
    @Override
    public String toString() {
        return switch (kind) {
            case DIRICHLET -> "dirichlet:" + formatValue(value);
            case NEUMANN -> "neumann";
            case PERIODIC -> "periodic";
            case HALO -> "halo";
        };
    }

    /** Whole numbers without ".0", everything else exactly as {@link Double#toString} (round-trips). */
    static String formatValue(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15 && !(v == 0 && 1 / v < 0)) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }
}
