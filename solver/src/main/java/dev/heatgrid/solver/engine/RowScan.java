package dev.heatgrid.solver.engine;

import dev.heatgrid.solver.kernels.VectorSupport;
import java.lang.foreign.MemorySegment;

/**
 * Reads back the statistics of a unit of rows that is already written, overrides included: min,
 * max, the lane-ordered sum and the checksum part, in one pass over the unit as one run of nodes,
 * exactly as {@link RowTotals} defines them.
 */
public interface RowScan {
    /** Records unit {@code u} of {@code field} as field {@code f} of {@code totals}. */
    void scan(MemorySegment field, int u, RowTotals totals, int f);

    /** The vector loop when the JVM has {@code jdk.incubator.vector} and a block is whole vectors, else the scalar loop. */
    static RowScan best() {
        if (VectorSupport.enabled()) {
            try {
                return (RowScan) Class.forName("dev.heatgrid.solver.engine.VectorRowScan").getDeclaredConstructor()
                        .newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the scalar loop
            }
        }
        return scalar();
    }

    /** The loop without vectors: the reference. */
    static RowScan scalar() {
        return ScalarRowScan.INSTANCE;
    }
}
