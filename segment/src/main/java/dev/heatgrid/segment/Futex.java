package dev.heatgrid.segment;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * Linux futex(2) on a word of a shared file mapping, called through FFM. The operations are the
 * non-private ones: the kernel keys the wait queue by (inode, offset), so a waiter in one process
 * is woken by a FUTEX_WAKE in another. FUTEX_WAIT only reads the word, so it works on a read-only
 * mapping. Where this is unavailable ({@link #AVAILABLE} false) callers poll instead.
 */
final class Futex {
    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int ETIMEDOUT = 110;

    private static final MethodHandle WAIT;
    private static final MethodHandle WAKE;
    private static final long SYS_FUTEX;
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final StructLayout TIMESPEC = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("tv_sec"), ValueLayout.JAVA_LONG.withName("tv_nsec"));

    /** Whether futex waits and wakes work on this platform. */
    static final boolean AVAILABLE;

    static {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "");
        long number = switch (arch) {
            case "amd64", "x86_64" -> 202;
            case "aarch64", "riscv64" -> 98;
            default -> -1;
        };
        MethodHandle wait = null;
        MethodHandle wake = null;
        if (os.contains("linux") && number > 0 && Boolean.parseBoolean(System.getProperty("heatgrid.futex", "true"))) {
            try {
                Linker linker = Linker.nativeLinker();
                MemorySegment syscall = linker.defaultLookup().find("syscall").orElseThrow();
                // long syscall(long number, ...): the variadic part is passed as longs, as the kernel reads it.
                FunctionDescriptor futex = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);
                wait = linker.downcallHandle(syscall, futex, Linker.Option.firstVariadicArg(1),
                        Linker.Option.captureCallState("errno"));
                // A wake never blocks and returns in about a microsecond: no thread-state transition needed.
                wake = linker.downcallHandle(syscall, futex, Linker.Option.firstVariadicArg(1),
                        Linker.Option.critical(false));
            } catch (RuntimeException | LinkageError e) {
                // IllegalCallerException without --enable-native-access in strict mode, or no syscall symbol.
                wait = null;
                wake = null;
            }
        }
        WAIT = wait;
        WAKE = wake;
        SYS_FUTEX = number;
        AVAILABLE = wait != null;
    }

    private Futex() {
    }

    /**
     * Sleeps while the u32 at {@code word} equals {@code expected}, at most {@code timeoutNanos}.
     * Returns 0 when woken, {@link #EAGAIN} if the word already differed, {@link #ETIMEDOUT} or
     * {@link #EINTR}; callers re-check the word in every case.
     */
    static int await(MemorySegment word, int expected, long timeoutNanos) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timeout = arena.allocate(TIMESPEC);
            timeout.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timeout.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            MemorySegment state = arena.allocate(CALL_STATE);
            long result = (long) WAIT.invokeExact(state, SYS_FUTEX, word, (long) FUTEX_WAIT,
                    Integer.toUnsignedLong(expected), timeout, 0L, 0L);
            return result == 0 ? 0 : (int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wait failed", t);
        }
    }

    /** Wakes every process and thread waiting on the u32 at {@code word}. */
    static void wakeAll(MemorySegment word) {
        try {
            long ignored = (long) WAKE.invokeExact(SYS_FUTEX, word, (long) FUTEX_WAKE, (long) Integer.MAX_VALUE,
                    MemorySegment.NULL, 0L, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("futex wake failed", t);
        }
    }
}
