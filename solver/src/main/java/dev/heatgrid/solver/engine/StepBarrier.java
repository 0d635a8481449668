package dev.heatgrid.solver.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A cyclic barrier for a fixed set of threads that runs an action in the last thread to arrive,
 * like {@link java.util.concurrent.CyclicBarrier}, but spins briefly before parking: a step of a
 * 512^2 grid takes ~100 us, and waking a parked thread costs tens of microseconds.
 */
final class StepBarrier {
    /** Spin this long before parking: covers band imbalance within a step, not idle time between runs. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final int parties;
    private final Runnable action;
    private final AtomicInteger arrived = new AtomicInteger();
    private final Thread[] threads;
    /** Incremented once per trip; waiters leave when it moves past the value they arrived in. */
    private volatile long phase;

    /**
     * @param parties threads that must arrive for a trip
     * @param action  run by the last thread to arrive, before anyone is released
     */
    StepBarrier(int parties, Runnable action) {
        this.parties = parties;
        this.action = action;
        this.threads = new Thread[parties];
    }

    /** Registers a thread to unpark on every trip; slot 0 belongs to whoever drives the current run. */
    void setThread(int slot, Thread thread) {
        threads[slot] = thread;
    }

    /** Arrives and waits for the others; the last to arrive runs the action, then releases everyone. */
    void await() {
        long current = phase;
        // Release: our writes of the pass (the band's results) happen-before the action, which
        // reads this counter (acquire) as the last arriver. Acquire: as the last arriver we see
        // every other worker's writes, because each wrote before its own increment.
        if (arrived.incrementAndGet() == parties) {
            try {
                action.run();
            } finally {
                // Reset before the phase moves: a thread can only arrive for the next trip after it
                // has seen the new phase, so it never finds a stale count.
                arrived.set(0);
                // Volatile write: publishes the action's results (the next pass) to every waiter.
                phase = current + 1;
                for (Thread t : threads) {
                    if (t != null && t != Thread.currentThread()) {
                        LockSupport.unpark(t);
                    }
                }
            }
            return;
        }
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (phase == current) {
            if (System.nanoTime() - spinUntil < 0) {
                Thread.onSpinWait();
            } else {
                // An unpark that comes between the check and the park leaves a permit, so this
                // cannot miss the trip; spurious returns just loop.
                LockSupport.park(this);
            }
        }
    }
}
