package dev.heatgrid.bench.ipc;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The live viewer runs its reading/rendering thread and its EDT at nice 10 (viewer's
 * {@code SchedulingPriority}, package-private there), and only those threads: the JIT and GC keep
 * normal priority. The headless stand-in does the same to its one busy thread, so the benchmark
 * sees the product's scheduling, not a whole-process {@code nice}.
 */
final class ViewerThreadPriority {
    /** The viewer's value: CFS weight 110 against the solver's 1024 at nice 0. */
    static final int VIEWER_NICE = 10;
    private static final int PRIO_PROCESS = 0;

    private ViewerThreadPriority() {
    }

    /** Sets the calling thread's nice value; false if that is not possible here. */
    static boolean lowerCurrentThread(int nice) {
        try {
            Linker linker = Linker.nativeLinker();
            var libc = linker.defaultLookup();
            MethodHandle gettid = linker.downcallHandle(libc.find("gettid").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT));
            MethodHandle setpriority = linker.downcallHandle(libc.find("setpriority").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                            ValueLayout.JAVA_INT));
            int tid = (int) gettid.invokeExact();
            // On Linux, setpriority(PRIO_PROCESS, tid, n) sets one thread's nice value.
            return (int) setpriority.invokeExact(PRIO_PROCESS, tid, nice) == 0;
        } catch (Throwable e) {
            return false;
        }
    }
}
