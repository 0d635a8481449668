package dev.heatgrid.solver.spi;

import java.util.EnumMap;
import java.util.Map;

/**
 * The conditions on all four edges. Kernels never implement them: the engine maps neighbours
 * across the edge ({@link StepFrame}) and fixes Dirichlet nodes after every step.
 *
 * <p>Text form ({@link #parse}): a comma-separated list whose items are either a condition for
 * every edge ({@code dirichlet:0}, {@code neumann}, {@code periodic}) or {@code EDGE=CONDITION} for
 * one edge, EDGE being {@code north}, {@code south}, {@code west} or {@code east}. Later items win;
 * edges never mentioned are {@code dirichlet:0}. Examples: {@code periodic};
 * {@code north=dirichlet:100,south=dirichlet:0,west=neumann,east=neumann};
 * {@code neumann,north=dirichlet:100}. Periodic edges come in opposite pairs.
 *
 * <p>Where two Dirichlet edges meet, the corner node takes the north or south edge's value (it
 * never influences the 5-point stencil anyway).
 */
public record Boundary(EdgeCondition north, EdgeCondition south, EdgeCondition west, EdgeCondition east) {
    public static final Boundary ZERO_DIRICHLET = all(EdgeCondition.dirichlet(0));

    public Boundary {
        if (north == null || south == null || west == null || east == null) {
            throw new IllegalArgumentException("every edge needs a condition");
        }
        checkPair(Edge.WEST, west, Edge.EAST, east);
        checkPair(Edge.SOUTH, south, Edge.NORTH, north);
    }

    private static void checkPair(Edge a, EdgeCondition ca, Edge b, EdgeCondition cb) {
        boolean pa = ca.kind() == EdgeCondition.Kind.PERIODIC;
        boolean pb = cb.kind() == EdgeCondition.Kind.PERIODIC;
        if (pa != pb) {
            Edge periodic = pa ? a : b;
            throw new IllegalArgumentException("boundary: " + periodic.label() + " is periodic but "
                    + periodic.opposite().label() + " is " + (pa ? cb : ca)
                    + "; a periodic grid wraps from one edge to the opposite one, so both must be periodic");
        }
    }

    public static Boundary all(EdgeCondition condition) {
        return new Boundary(condition, condition, condition, condition);
    }

    public EdgeCondition on(Edge edge) {
        return switch (edge) {
            case NORTH -> north;
            case SOUTH -> south;
            case WEST -> west;
            case EAST -> east;
        };
    }

    /** Whether the grid wraps around west-east. */
    public boolean periodicX() {
        return west.kind() == EdgeCondition.Kind.PERIODIC;
    }

    /** Whether the grid wraps around south-north. */
    public boolean periodicY() {
        return south.kind() == EdgeCondition.Kind.PERIODIC;
    }

    /** Whether no edge lets heat in or out (Neumann or periodic everywhere). */
    public boolean conservesHeat() {
        for (Edge e : Edge.values()) {
            if (on(e).isDirichlet()) {
                return false;
            }
        }
        return true;
    }

    /** Parses the text form described in the class comment. */
    public static Boundary parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("boundary is empty; use e.g. dirichlet:0, neumann, periodic"
                    + " or north=dirichlet:100,south=neumann,...");
        }
        var edges = new EnumMap<Edge, EdgeCondition>(Edge.class);
        for (Edge e : Edge.values()) {
            edges.put(e, EdgeCondition.dirichlet(0));
        }
        for (String item : text.split(",")) {
            String it = item.trim();
            int eq = it.indexOf('=');
            if (eq < 0) {
                EdgeCondition c = EdgeCondition.parse(it);
                edges.replaceAll((e, old) -> c);
                continue;
            }
            String name = it.substring(0, eq).trim();
            Edge edge = null;
            for (Edge e : Edge.values()) {
                if (e.label().equalsIgnoreCase(name)) {
                    edge = e;
                }
            }
            if (edge == null) {
                throw new IllegalArgumentException("boundary: '" + name + "' is not an edge; edges are north (row ny-1),"
                        + " south (row 0), west (column 0), east (column nx-1)");
            }
            edges.put(edge, EdgeCondition.parse(it.substring(eq + 1)));
        }
        return new Boundary(edges.get(Edge.NORTH), edges.get(Edge.SOUTH), edges.get(Edge.WEST), edges.get(Edge.EAST));
    }

    /** The shortest text {@link #parse} reads back to this boundary. */
    @Override
    public String toString() {
        if (north.equals(south) && north.equals(west) && north.equals(east)) {
            return north.toString();
        }
        Map<Edge, EdgeCondition> m = new EnumMap<>(Edge.class);
        for (Edge e : Edge.values()) {
            m.put(e, on(e));
        }
        var text = new StringBuilder();
        m.forEach((e, c) -> text.append(text.isEmpty() ? "" : ",").append(e.label()).append('=').append(c));
        return text.toString();
    }
}
