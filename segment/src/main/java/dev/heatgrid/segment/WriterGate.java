package dev.heatgrid.segment;

import java.io.IOException;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The writer's side of the consumer gate (docs/FORMAT.md §4.4): before a buffer is reused for a new
 * generation, every live gating consumer must have finished the generation it still holds. When one
 * has not, the writer sleeps on that consumer's cursor (futex) until it advances, dies (its lock
 * byte is free) or stalls past its bound; the last two are dropped, so no consumer can stop a run.
 *
 * <p>Costs the writer one fence and {@link SegmentDescriptor#CONSUMER_SLOTS} loads per frame when no
 * consumer gates.
 */
final class WriterGate {
    private static final System.Logger LOG = System.getLogger("dev.heatgrid.segment");
    /** The writer honours a consumer's stall bound only within these limits: no consumer stops a run for long. */
    static final long MIN_STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    static final long MAX_STALL_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Longest single sleep; also how often a waiting writer checks that the consumer still lives. */
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ConsumerTable table;
    private final SegmentFile file;
    private final int buffers;
    private final Runnable heartbeat;

    WriterGate(ConsumerTable table, SegmentFile file, int buffers, Runnable heartbeat) {
        this.table = table;
        this.file = file;
        this.buffers = buffers;
        this.heartbeat = heartbeat;
    }

    /**
     * Returns once buffer {@code generation mod N} may be overwritten: no live gating consumer still
     * needs the generation it holds, {@code generation - N}. Call before marking the buffer in progress.
     */
    void awaitReusable(long generation) {
        int slot = firstBlocking(generation);
        if (slot >= 0) {
            await(generation, generation - buffers, slot);
        }
    }

    /**
     * The writer's half of the join ordering (§4.4; jcstress runs it against {@link GatingConsumer#enter}):
     * which live gating consumer, if any, still holds the generation that {@code generation} would
     * overwrite; -1 if none.
     */
    int firstBlocking(long generation) {
        long held = generation - buffers;
        if (held <= 0) {
            return -1; // the buffer was never published: nobody can need it
        }
        // Full fence: the store of the previous generation (publish) comes before the loads of the
        // table below, so a consumer that joined and then saw an older generation is seen here (§4.4).
        VarHandle.fullFence();
        return blockingSlot(held);
    }

    /** A gating consumer whose cursor is below {@code held}, or -1. */
    private int blockingSlot(long held) {
        for (int slot = 0; slot < SegmentDescriptor.CONSUMER_SLOTS; slot++) {
            if (ConsumerTable.state(table.membership(slot)) == ConsumerTable.GATING && table.cursor(slot) < held) {
                return slot;
            }
        }
        return -1;
    }

    private void await(long generation, long held, int firstSlot) {
        long start = System.nanoTime();
        table.beginWait(generation, firstSlot, start);
        try {
            int slot = firstSlot;
            long cursor = table.cursor(slot);
            long progressAt = start;
            long probedAt = start;
            while (true) {
                long membership = table.membership(slot);
                long seen = table.cursor(slot);
                long now = System.nanoTime();
                if (seen != cursor) {
                    cursor = seen; // it moves: a slow consumer paces the writer, it is never dropped
                    progressAt = now;
                }
                if (ConsumerTable.state(membership) == ConsumerTable.GATING && seen < held) {
                    long bound = Math.clamp(table.stallNanos(slot), MIN_STALL_NANOS, MAX_STALL_NANOS);
                    if (now - progressAt >= bound) {
                        dropStalled(slot, membership, generation, bound, now - progressAt);
                    } else if (now - probedAt >= MAX_SLEEP_NANOS) {
                        probedAt = now; // no progress for a while: is it still there?
                        dropIfDead(slot, membership, generation);
                    } else {
                        heartbeat.run();
                        sleep(slot, seen, Math.min(MAX_SLEEP_NANOS, bound - (now - progressAt)));
                    }
                    continue;
                }
                int next = blockingSlot(held);
                if (next < 0) {
                    return;
                }
                if (next != slot) {
                    slot = next;
                    table.waitingFor(slot);
                    cursor = table.cursor(slot);
                    progressAt = now;
                    probedAt = now;
                }
            }
        } finally {
            table.endWait(System.nanoTime() - start);
        }
    }

    /**
     * Sleeps until the consumer's cursor changes from {@code cursor} (it wakes us after its store, §4.4)
     * or the time is up. The kernel compares the word first, so a store before the call is not missed.
     */
    private void sleep(int slot, long cursor, long nanos) {
        if (Futex.AVAILABLE) {
            Futex.await(table.cursorFutexWord(slot), (int) cursor, Math.max(nanos, 1));
        } else {
            LockSupport.parkNanos(Math.min(nanos, POLL_NANOS));
        }
    }

    /**
     * Drops the consumer if nobody holds its lock byte (the kernel released it when the process died). The probe's own shared lock keeps a newcomer
     * from claiming the slot until the drop is written.
     */
    private void dropIfDead(int slot, long membership, long generation) {
        FileLock probe;
        try {
            probe = file.tryLockByte(SegmentDescriptor.CONSUMER_LOCK_BYTE + slot, true);
        } catch (OverlappingFileLockException e) {
            return; // held within this JVM: alive
        } catch (IOException e) {
            return; // cannot tell: the stall bound still ends the wait
        }
        if (probe == null) {
            return; // another process holds it exclusively: alive
        }
        try {
            if (table.drop(slot, membership, ConsumerTable.DROP_DIED, generation)) {
                table.countDrop();
                LOG.log(System.Logger.Level.WARNING, "segment {0}: dropped gating consumer pid {1} (slot {2}): its"
                        + " process has gone; the run goes on without waiting for it", file.path(),
                        Long.toString(table.owner(slot).pid()), Integer.toString(slot));
            }
        } finally {
            release(probe);
        }
    }

    private static void release(FileLock lock) {
        try {
            lock.release();
        } catch (IOException e) {
            // the descriptor stays open with the attachment; a lock we cannot release is released at exit
        }
    }

    private void dropStalled(int slot, long membership, long generation, long bound, long stalledNanos) {
        if (table.drop(slot, membership, ConsumerTable.DROP_STALLED, generation)) {
            table.countDrop();
            LOG.log(System.Logger.Level.WARNING, "segment {0}: dropped gating consumer pid {1} (slot {2}): it did not"
                    + " finish generation {3} within its gate timeout ({4} ms; it stalled {5} ms); the run goes on"
                    + " without waiting for it", file.path(), Long.toString(table.owner(slot).pid()),
                    Integer.toString(slot), Long.toString(generation - buffers),
                    Long.toString(TimeUnit.NANOSECONDS.toMillis(bound)),
                    Long.toString(TimeUnit.NANOSECONDS.toMillis(stalledNanos)));
        }
    }

}
