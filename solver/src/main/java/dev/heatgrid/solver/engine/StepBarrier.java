package dev.heatgrid.solver.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;

/**
 * A cyclic barrier for a fixed set of threads that runs an action in the last thread to arrive,
 * like {@link java.util.concurrent.CyclicBarrier}, but spins briefly before parking: a step of a
 * 512^2 grid takes ~100 us, and waking a parked thread costs tens of microseconds. A trip unparks
 * only threads that said they were about to park, so while everyone keeps up (spinning) a trip
 * costs no system call and leaves no stray permits behind.
 */
final class StepBarrier {
    /** Spin this long before parking: covers band imbalance within a step, not idle time between runs. */
    private static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

    private final int parties;
    private final Runnable action;
    private final AtomicInteger arrived = new AtomicInteger();
    private final Thread[] threads;
    /** 1 while the thread in that slot may be parked (set before its last look at the phase). */
    private final AtomicIntegerArray parking;
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
        this.parking = new AtomicIntegerArray(parties);
    }

    /** Registers a thread to unpark on every trip; slot 0 belongs to whoever drives the current run. */
    void setThread(int slot, Thread thread) {
        threads[slot] = thread;
    }

    /** Arrives and waits for the others; the last to arrive runs the action, then releases everyone. */
    void await(int slot) {
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
                for (int i = 0; i < threads.length; i++) {
                    // Volatile read after the volatile write above: a waiter that set its flag before
                    // its last look at the phase either saw the new phase or is unparked here.
                    if (parking.get(i) == 1 && threads[i] != Thread.currentThread()) {
                        LockSupport.unpark(threads[i]);
                    }
                }
            }
            return;
        }
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        while (phase == current) {
            if (System.nanoTime() - spinUntil < 0) {
                Thread.onSpinWait();
                continue;
            }
            // Volatile write, then a volatile read of the phase (Dekker with the releaser above):
            // either this read sees the trip, or the releaser sees the flag and unparks. An unpark
            // that comes between the check and the park leaves a permit; spurious returns just loop.
            parking.set(slot, 1);
            if (phase == current) {
                LockSupport.park(this);
            }
            // No ordering needed here: a releaser that still sees 1 unparks once more, and that
            // spare permit only makes a later park return at once, into this loop's re-check.
            parking.set(slot, 0);
        }
    }
}
