package dev.heatgrid.solver.spi;

/**
 * A kernel prepared for one grid, boundary, parameter set and dt. The engine calls {@link #step}
 * from several worker threads at once, each call with its own disjoint range of rows (or columns;
 * which thread gets which range may change from step to step), so an implementation keeps no
 * mutable state shared between calls other than what it writes into the target or its own scratch
 * at the range's lines.
 *
 * <p>A step may consist of several passes (an ADI step solves along columns, then along rows); the
 * engine runs pass 0 over all bands, waits for every worker at a barrier, then runs pass 1, and so
 * on. The last pass must write every evolving field of the target for its lines.
 */
public interface Stepper extends AutoCloseable {
    /** Passes per step: 1 for an explicit stencil. */
    default int passes() {
        return 1;
    }

    /** What pass {@code pass} splits among workers. */
    default Sweep sweep(int pass) {
        return Sweep.ROWS;
    }

    /**
     * Computes pass {@code pass} for rows (or columns, see {@link #sweep}) {@code first} to
     * {@code end - 1}, reading {@code frame}'s sources and writing its targets.
     */
    void step(StepFrame frame, int pass, int first, int end);

    /** Called once the engine no longer uses this stepper (scratch from the setup is freed after). */
    @Override
    default void close() {
    }
}
