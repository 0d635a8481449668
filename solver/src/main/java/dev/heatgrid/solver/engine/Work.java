package dev.heatgrid.solver.engine;

/**
 * One pass of a step, split among the engine's workers: {@code lines} rows (or columns) cut into
 * one contiguous band per worker. Bands depend only on {@code lines} and the number of workers.
 * A pass that names a {@link #grain} lets a worker that finished its band take lines from the far
 * ends of the others', so which worker runs which lines varies from pass to pass; what it computes
 * must then not depend on that.
 */
public interface Work {
    /** How many lines the pass covers (ny for a pass over rows, nx for one over columns). */
    int lines();

    /** Does the pass for lines {@code first} to {@code end - 1}; called by worker {@code worker}. */
    void run(int worker, int first, int end);

    /**
     * Lines a worker takes at a time once the pass may be shared out ({@link StepEngine} says how),
     * or 0 for exactly one call per band with the band's lines.
     */
    default int grain() {
        return 0;
    }
}
