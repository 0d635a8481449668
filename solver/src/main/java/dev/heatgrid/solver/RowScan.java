package dev.heatgrid.solver;

import dev.heatgrid.solver.kernels.VectorSupport;
import java.lang.foreign.MemorySegment;

/**
 * The inner loop of {@link RowStatistics}: min, max and sum of one row. The sum's rounding may
 * differ between implementations (the vector loop keeps one sum per lane and adds them in lane
 * order), but each is reproducible to the bit; min and max never differ.
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
