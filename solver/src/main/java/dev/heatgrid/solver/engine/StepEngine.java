package dev.heatgrid.solver.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;

/**
 * The worker threads that step a grid. A run alternates between the {@link WorkPlan} (one thread,
 * everyone else waiting) and a pass of {@link Work} split into one band per worker, with exactly
 * one barrier between them. The thread that calls {@link #run} is worker 0, so a one-thread engine
 * has no other thread and no synchronisation at all.
 *
 * <pre>
 *   caller:    run ─► [barrier: plan.next() → pass A] ─ band 0 of A ─► [barrier: next() → B] ─ band 0 of B ─► ... next() → null: return
 *   worker k:         [barrier]                       ─ band k of A ─► [barrier]             ─ band k of B ─► ... back to waiting
 * </pre>
 *
 * <p>A pass that names a {@link Work#grain} is shared out: each worker runs its band's lines from
 * the front, a piece of at most the grain at a time, and once its band is empty takes pieces from
 * the back of the others' bands, so a worker that is late (the host ran something else on its
 * core, its rows were slower) is helped instead of waited for. Bands stay the starting point, so
 * in an even step each worker touches the same rows as last time.
 *
 * <p>An engine made {@link #StepEngine(int, BooleanSupplier) with a join rule} starts alone: the
 * caller plans each pass itself and runs every worker's band of it, one after the other, while the
 * helpers wait at a gate; between passes it asks the rule, and once the rule says so the helpers
 * join for good:
 * <pre>
 *   caller:    run ─► next() → A ─ bands 0..n-1 of A ─► next() → B ─ bands 0..n-1 of B ─► rule: join, open the gate ─► [barrier: next() → C] ─ band 0 of C ─► ...
 *   worker k:  [gate] ─────────────────────────────────────────────────────────────────────────────────────────────► [barrier]             ─ band k of C ─► ...
 * </pre>
 * During a run's first second the JIT compiles on the other processors, and a second worker there
 * only competes with it: runs of 600 million updates at 128²-256² were up to a third slower with 2
 * threads than with 1 (docs/BENCHMARKS.md, "Helpers join after warm-up"). A pass alone is the same
 * calls of {@link Work#run} as a pass whose workers each ran their own band whole, which sharing out
 * allows too, so which passes ran alone changes no result; a pass whose bands must not be merged
 * (TemporalTiling's trapezoids) gets its bands as it would from all the workers.
 *
 * <p>Not for concurrent use: one run at a time.
 */
public final class StepEngine implements AutoCloseable {
    /** Threads beyond this are surely a typo. */
    public static final int MAX_THREADS = 256;
    /**
     * Nodes per worker below which another worker does not pay for its barrier trip and its share
     * of the cache; docs/BENCHMARKS.md ("Threads by grid size") says why, and how to check it on a machine.
     */
    public static final long MIN_CELLS_PER_THREAD = 4 * 1024;

    /** Longs from one band's cursor to the next: 128 bytes, so no two share a cache line (or its prefetched pair). */
    private static final int CURSOR_STRIDE = 16;

    private final int threads;
    private final StepBarrier barrier;
    /** Asked by the caller between passes while it runs alone: whether the helpers join now. */
    private final BooleanSupplier helpersJoin;
    /** Opened once, when the helpers join (or the engine closes); until then they wait here, not at the barrier. */
    private final CountDownLatch gate = new CountDownLatch(1);
    /**
     * Whether the helpers take part in passes. Set once, by the caller, before it opens the gate and
     * before its next arrival at the barrier, whose action (on whichever thread arrived last) reads it.
     */
    private boolean joined;
    /**
     * Per band of a pass with a {@link Work#grain}, its lines no worker has taken yet, [front, back)
     * packed as {@code front << 32 | back}: the band's worker takes lines from the front, the others
     * from the back, each with one compare-and-set, so every line is run exactly once.
     */
    private final AtomicLongArray cursors;
    private final List<Thread> helpers = new ArrayList<>();
    /** What the last trip tells helpers when the engine closes. */
    private static final Work SHUTDOWN = new Work() {
        @Override
        public int lines() {
            return 0;
        }

        @Override
        public void run(int worker, int first, int end) {
        }
    };

    // Written before a thread arrives or by the barrier action, read after the barrier (which orders both).
    private WorkPlan plan;
    private Work current;
    private Throwable failure;
    /**
     * Set by close() before it arrives; only the barrier action reads it. A helper must learn of the
     * shutdown from the trip it takes part in: one still leaving the previous trip would otherwise
     * see the flag, quit, and never arrive at the closing trip.
     */
    private boolean closing;

    /** An engine whose helpers take part in every pass from the first. */
    public StepEngine(int threads) {
        this(threads, () -> true);
        join();
    }

    /**
     * An engine whose caller runs passes alone until {@code helpersJoin}, asked between passes,
     * returns true; from then on every worker takes part.
     */
    public StepEngine(int threads, BooleanSupplier helpersJoin) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads is " + threads + "; allowed 1.." + MAX_THREADS);
        }
        this.threads = threads;
        this.helpersJoin = helpersJoin;
        this.joined = threads == 1;
        this.barrier = new StepBarrier(threads, this::betweenPasses);
        this.cursors = new AtomicLongArray(threads * CURSOR_STRIDE);
        for (int w = 1; w < threads; w++) {
            int worker = w;
            Thread t = Thread.ofPlatform().name("heatgrid-worker-" + w).daemon().unstarted(() -> helperLoop(worker));
            barrier.setThread(w, t);
            helpers.add(t);
        }
        helpers.forEach(Thread::start);
    }

    public int threads() {
        return threads;
    }

    /** Workers for a grid of {@code cells} nodes when the user names none: one per processor, each with enough nodes. */
    public static int threadsFor(long cells, int processors) {
        return (int) Math.max(1, Math.min(Math.min(processors, MAX_THREADS), cells / MIN_CELLS_PER_THREAD));
    }

    /**
     * Grids up to this many nodes start alone ({@link #forRuns}): there a step takes at most a few
     * hundred microseconds, and a worker the JIT has switched out costs the other a whole step at the
     * barrier. Larger steps absorb that, and the second worker's share is worth more than the quiet:
     * short runs with the helpers joining late went 1.16-1.23x as fast at 128²-512², and 0.90-0.93x
     * at 1024²-4096² (docs/BENCHMARKS.md, "Helpers join after warm-up").
     */
    public static final long MAX_CELLS_ALONE = 512 * 512;

    /**
     * An engine for a solver's runs on a grid of {@code cells} nodes: up to {@link #MAX_CELLS_ALONE},
     * its helpers join once the JIT has gone quiet ({@link JitQuiet}); above, from the first pass.
     * With the system property {@code heatgrid.helpers} set to {@code at-once} they always take part
     * from the first pass: the tests' setting (root pom.xml), so that a short run has all its workers.
     */
    public static StepEngine forRuns(int threads, long cells) {
        if (cells > MAX_CELLS_ALONE || "at-once".equals(System.getProperty("heatgrid.helpers"))) {
            return new StepEngine(threads);
        }
        return new StepEngine(threads, new JitQuiet());
    }

    /** Whether the helpers take part in passes (always, for an engine of one thread). */
    boolean joined() {
        return joined;
    }

    /**
     * Runs passes until {@code plan} returns null, the calling thread taking part as worker 0.
     * If a pass or the plan throws, the run ends after the pass (every worker finishes its band)
     * and the first failure is rethrown here.
     */
    public void run(WorkPlan plan) throws Exception {
        if (closing) {
            throw new IllegalStateException("engine is closed");
        }
        this.plan = plan;
        this.failure = null;
        barrier.setThread(0, Thread.currentThread());
        while (true) {
            if (joined) {
                barrier.await(0);
            } else {
                betweenPasses(); // alone: what the barrier's action does, on this thread
            }
            Work work = current;
            if (work == null) {
                break;
            }
            if (joined) {
                runBand(work, 0);
            } else {
                runBandsAlone(work);
                if (helpersJoin.getAsBoolean()) {
                    join(); // they meet this thread at the barrier before the next pass
                }
            }
        }
        this.plan = null;
        Throwable f = failure;
        failure = null;
        if (f instanceof Exception e) {
            throw e;
        }
        if (f instanceof Error e) {
            throw e;
        }
    }

    private void helperLoop(int worker) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            return; // a daemon interrupted before its engine was used: nothing to take part in
        }
        while (true) {
            barrier.await(worker);
            Work work = current;
            if (work == SHUTDOWN) {
                return;
            }
            if (work != null) {
                runBand(work, worker);
            }
        }
    }

    /**
     * Worker {@code worker}'s part of a pass: its band, or with a {@link Work#grain}, its band from
     * the front, then what is left of the others' from their backs. Bands take the same time only in
     * theory: at 512^2 with 2 threads each worker waited 15-20 % of a run at the barrier for the
     * other (docs/BENCHMARKS.md, "Sharing out a pass").
     */
    private void runBand(Work work, int worker) {
        int grain = work.grain();
        try {
            if (grain <= 0 || threads == 1) {
                runWholeBand(work, work.lines(), worker);
                return;
            }
            int own = worker * CURSOR_STRIDE;
            // A cursor's front only rises and its back only falls within a pass, so a compare-and-set
            // that succeeds took lines nobody else can take (no ABA).
            for (long c = cursors.get(own); front(c) < back(c); c = cursors.get(own)) {
                int end = Math.min(back(c), front(c) + grain);
                if (cursors.compareAndSet(own, c, cursor(end, back(c)))) {
                    work.run(worker, front(c), end);
                }
            }
            for (int k = 1; k < threads; k++) {
                int at = (worker + k) % threads * CURSOR_STRIDE;
                for (long c = cursors.get(at); front(c) < back(c); c = cursors.get(at)) {
                    int first = Math.max(front(c), back(c) - grain);
                    if (cursors.compareAndSet(at, c, cursor(front(c), first))) {
                        work.run(worker, first, back(c));
                    }
                }
            }
        } catch (Throwable t) {
            recordFailure(t);
        }
    }

    /** Every worker's band of {@code work}, in worker order, on the calling thread: a pass while the helpers have not joined. */
    private void runBandsAlone(Work work) {
        try {
            int lines = work.lines();
            for (int w = 0; w < threads; w++) {
                runWholeBand(work, lines, w);
            }
        } catch (Throwable t) {
            recordFailure(t);
        }
    }

    /** Band {@code worker} of a pass of {@code lines} lines, in one call (none if the band is empty). */
    private void runWholeBand(Work work, int lines, int worker) {
        int first = bandStart(lines, worker, threads);
        int end = bandStart(lines, worker + 1, threads);
        if (first < end) {
            work.run(worker, first, end);
        }
    }

    private static long cursor(int front, int back) {
        return (long) front << 32 | back;
    }

    private static int front(long cursor) {
        return (int) (cursor >>> 32);
    }

    private static int back(long cursor) {
        return (int) cursor;
    }

    /** Where band {@code worker} of {@code lines} lines split among {@code threads} workers starts (band k ends where k + 1 starts). */
    static int bandStart(int lines, int worker, int threads) {
        return (int) ((long) lines * worker / threads);
    }

    private synchronized void recordFailure(Throwable t) {
        if (failure == null) {
            failure = t;
        } else if (failure != t) {
            failure.addSuppressed(t);
        }
    }

    /** Between passes (the barrier's action, or the caller's own step while it runs alone): asks the plan for the next pass unless something failed. */
    private void betweenPasses() {
        if (closing) {
            current = SHUTDOWN;
            return;
        }
        if (plan == null) {
            current = null;
            return;
        }
        Throwable f;
        synchronized (this) {
            f = failure;
        }
        if (f != null) {
            current = null;
            return;
        }
        try {
            current = plan.next();
            if (joined && threads > 1 && current != null && current.grain() > 0) { // alone, or one thread: bands run whole
                int lines = current.lines();
                for (int k = 0; k < threads; k++) {
                    // Plain: every worker waits at the barrier, whose phase write (release) publishes these.
                    cursors.setPlain(k * CURSOR_STRIDE, cursor(bandStart(lines, k, threads), bandStart(lines, k + 1, threads)));
                }
            }
        } catch (Throwable t) {
            recordFailure(t);
            current = null;
        }
    }

    /** Lets the helpers through the gate: from the next pass on, every worker takes part. */
    private void join() {
        joined = true;
        gate.countDown(); // after the write above: a helper that passes the gate sees it
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        plan = null;
        join(); // helpers still at the gate must reach the barrier to learn of the shutdown
        if (threads > 1) {
            // The helpers wait at the barrier for a caller: arrive once so they trip and see shutdown.
            barrier.setThread(0, Thread.currentThread());
            barrier.await(0);
            for (Thread t : helpers) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
