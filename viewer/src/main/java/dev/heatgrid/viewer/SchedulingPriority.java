package dev.heatgrid.viewer;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * Runs the viewer's busy threads (reading and rendering, the EDT, PNG encoding) at a lower CPU
 * priority than the solver: Linux nice {@value #VIEWER_NICE} per thread, through FFM. On a quiet
 * machine this changes nothing; when the cores are busy (a multi-threaded solver, other jobs) the
 * scheduler gives the solver about ten times the viewer's share, so watching a run does not slow
 * it. Elsewhere, or without native access, it does nothing.
 */
public final class SchedulingPriority {
    /** CFS weight 110 against the solver's 1024 at nice 0. */
    public static final int VIEWER_NICE = 10;
    private static final int PRIO_PROCESS = 0;
    private static final MethodHandle GETTID;
    private static final MethodHandle SETPRIORITY;

    static {
        MethodHandle gettid = null;
        MethodHandle setpriority = null;
        if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                && Boolean.parseBoolean(System.getProperty("heatgrid.viewer.nice", "true"))) {
            try {
                Linker linker = Linker.nativeLinker();
                var libc = linker.defaultLookup();
                gettid = linker.downcallHandle(libc.find("gettid").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT));
                // On Linux, setpriority(PRIO_PROCESS, tid, n) sets one thread's nice value.
                setpriority = linker.downcallHandle(libc.find("setpriority").orElseThrow(),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                                ValueLayout.JAVA_INT));
            } catch (RuntimeException | LinkageError e) {
                // No native access in strict mode, or an old libc without gettid: stay at normal priority.
                gettid = null;
                setpriority = null;
            }
        }
        GETTID = gettid;
        SETPRIORITY = setpriority;
    }

    private SchedulingPriority() {
    }

    /** Lowers the calling thread's priority to the viewer's; false where that is not possible here. */
    public static boolean lowerCurrentThread() {
        return lowerCurrentThread(VIEWER_NICE);
    }

    /** Sets the calling thread's nice value (benchmarks try others); false where that is not possible. */
    public static boolean lowerCurrentThread(int nice) {
        if (SETPRIORITY == null) {
            return false;
        }
        try {
            int tid = (int) GETTID.invokeExact();
            return (int) SETPRIORITY.invokeExact(PRIO_PROCESS, tid, nice) == 0;
        } catch (Throwable e) {
            return false;
        }
    }
}
