package dev.heatgrid.solver;

import dev.heatgrid.solver.kernels.VectorSupport;
import java.lang.foreign.MemorySegment;

/**
 * The inner loop of {@link RowStatistics}: min, max and sum of one row. The sum's rounding may
 * differ between implementations (lanes are added in another order); min and max never do.
 */
interface RowScan {
    /** Stores min, max and sum of {@code count} values from byte {@code offset} at {@code index} of the arrays. */
    void scan(MemorySegment data, long offset, int count, double[] min, double[] max, double[] sum, int index);

    /** The vector loop when jdk.incubator.vector is present (loaded reflectively), else the scalar loop. */
    static RowScan best() {
        if (VectorSupport.enabled()) {
            try {
                return (RowScan) Class.forName("dev.heatgrid.solver.VectorRowScan").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the scalar loop
            }
        }
        return new ScalarRowScan();
    }
}
