package dev.heatgrid.solver.engine;

import dev.heatgrid.solver.spi.StepFrame;

/**
 * A stepper that records the statistics of the rows it writes in the same pass, from the values
 * still in registers, instead of leaving a {@link RowScan} to read them back. Built-in kernels only
 * (the order of the sum is subtle, see {@link RowTotals}); the engine uses it on publishing steps of
 * single-pass row kernels, then applies its overrides and adds the edge cells itself.
 */
public interface ScanningStepper {
    /**
     * Does what {@code Stepper.step(frame, 0, first, end)} does and records the interior (x = 1 .. nx-2)
     * of each row y of each field f it writes with {@link RowTotals#interior}{@code (f, y, ...)}.
     */
    void stepScanned(StepFrame frame, int first, int end, RowTotals totals);
}
