package dev.heatgrid.solver.engine;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * When a solver's helpers join its run ({@link StepEngine#forRuns}): once the JVM's compilers have
 * gone quiet, that is spent less than a tenth of a window of at least 100 ms compiling, or 3 s after
 * the first question, whichever comes first. The first window starts at the first question. A JVM
 * that does not count compilation time has the helpers join at once.
 *
 * <p>The JVM adds a compilation's time when it ends, so one long compilation still running looks
 * quiet: the helpers then join early, which is what they did before this rule existed.
 */
final class JitQuiet implements BooleanSupplier {
    private static final long WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Compiling time per window time below which the compilers count as quiet. */
    private static final long QUIET_SHARE = 10;
    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(3);

    /** The compilers' total time so far, in milliseconds; null when the JVM does not count it. */
    private final LongSupplier compiledMillis;
    private final LongSupplier clock;
    private boolean asked;
    private long firstAsked;
    private long windowStart;
    private long compiledMillisAtWindowStart;

    JitQuiet() {
        this(compilationMillis(), System::nanoTime);
    }

    /** With the compilers' total time ({@code null}: not counted) and a clock in nanoseconds. */
    JitQuiet(LongSupplier compiledMillis, LongSupplier clock) {
        this.compiledMillis = compiledMillis;
        this.clock = clock;
    }

    private static LongSupplier compilationMillis() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit::getTotalCompilationTime : null;
    }

    @Override
    public boolean getAsBoolean() {
        if (compiledMillis == null) {
            return true;
        }
        long now = clock.getAsLong();
        if (!asked) {
            asked = true;
            firstAsked = now;
            startWindow(now);
            return false;
        }
        if (now - firstAsked >= LIMIT_NANOS) {
            return true;
        }
        long window = now - windowStart;
        if (window < WINDOW_NANOS) {
            return false;
        }
        long compiledNanos = TimeUnit.MILLISECONDS.toNanos(compiledMillis.getAsLong() - compiledMillisAtWindowStart);
        startWindow(now);
        return compiledNanos * QUIET_SHARE < window;
    }

    private void startWindow(long now) {
        windowStart = now;
        compiledMillisAtWindowStart = compiledMillis.getAsLong();
    }
}
