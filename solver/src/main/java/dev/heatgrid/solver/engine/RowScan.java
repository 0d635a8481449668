package dev.heatgrid.solver.engine;

import dev.heatgrid.solver.kernels.VectorSupport;
import java.lang.foreign.MemorySegment;

/**
 * Reads the statistics of a row that is already written (the engine's scan for kernels that do not
 * fold it into their own loop, and for rows the engine overrode): min, max, the lane-ordered sum
 * and the checksum part, in one pass, exactly as {@link RowTotals} defines them.
 */
public interface RowScan {
    /** Records the interior (x = 1 .. nx-2) of row {@code y} of {@code field} as field {@code f} of {@code totals}. */
    void interior(MemorySegment field, int y, RowTotals totals, int f);

    /** Records all of row {@code y}: interior, then edges. */
    default void scan(MemorySegment field, int y, RowTotals totals, int f) {
        interior(field, y, totals, f);
        totals.edges(f, y, field);
    }

    /** The vector loop when the JVM has {@code jdk.incubator.vector} with 8 doubles per vector, else the scalar loop. */
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
