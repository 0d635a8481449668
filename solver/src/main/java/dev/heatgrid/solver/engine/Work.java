package dev.heatgrid.solver.engine;

/**
 * One pass of a step, split among the engine's workers: {@code lines} rows (or columns) cut into
 * one contiguous band per worker. Bands depend only on {@code lines} and the number of workers.
 */
public interface Work {
    /** How many lines the pass covers (ny for a pass over rows, nx for one over columns). */
    int lines();

    /** Does the pass for lines {@code first} to {@code end - 1}; called by worker {@code worker}. */
    void run(int worker, int first, int end);
}
