package dev.heatgrid.segment;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A reader that the writer waits for: a slot in the segment's consumer table (docs/FORMAT.md §4.4)
 * whose cursor says which generation this consumer has finished. The writer never overwrites a
 * generation above the cursor of a live gating consumer, so reading every generation in turn loses
 * none, even while the consumer is briefly slower than the writer:
 * <pre>{@code
 * try (GatingConsumer gate = GatingConsumer.join(reader, Duration.ofSeconds(5))) {
 *     for (long g = gate.first(); ; g++) {
 *         reader.awaitNewer(g - 1, 1, TimeUnit.SECONDS);     // until g is published
 *         reader.copyGeneration(g, frame);                    // intact: the writer keeps it for us
 *         gate.finished(g);                                   // the writer may now reuse its buffer
 *     }
 * }
 * }</pre>
 * The writer drops a consumer whose process died (its lock byte is free) or that did not advance
 * for its stall bound; {@link #dropped()} then says so, and frames after the drop may be lost.
 *
 * <p>Needs write permission on the segment (the cursor is written into its header); it maps only
 * the page holding the table read-write, the frames stay read-only. Not thread-safe.
 */
public final class GatingConsumer implements AutoCloseable {
    /** A few seconds: long enough for a disk hiccup, short enough that a frozen consumer costs little. */
    public static final Duration DEFAULT_STALL_BOUND = Duration.ofSeconds(5);

    private final FrameReader reader;
    private final ConsumerTable table;
    private final int slot;
    private final FileLock lock;
    private final long joined;
    private final long first;
    private long cursor;
    private boolean closed;

    private GatingConsumer(FrameReader reader, ConsumerTable table, int slot, FileLock lock, long joined,
                           long first) {
        this.reader = reader;
        this.table = table;
        this.slot = slot;
        this.lock = lock;
        this.joined = joined;
        this.first = first;
        this.cursor = first - 1;
    }

    /**
     * Joins the segment's gate through {@code reader}: claims a free slot (an exclusive lock on its byte,
     * which the kernel releases if this process dies) and publishes a cursor just below the newest
     * generation. From {@link #first()} on the writer keeps every generation until {@link #finished}.
     *
     * @param stallBound how long the writer may wait for this consumer to advance before it drops it;
     *                   the writer keeps it within 10 ms .. 60 s
     * @throws IOException the segment's writer predates the gate, all slots are taken, or the file is
     *                     not writable by this user
     */
    public static GatingConsumer join(FrameReader reader, Duration stallBound) throws IOException {
        SegmentFile file = reader.file();
        int minor = reader.layout().minorVersion();
        if (minor < SegmentDescriptor.GATE_MINOR_VERSION) {
            throw new IOException("segment " + file.path() + " has format 1." + minor + ": its writer does not know"
                    + " gating consumers (format 1." + SegmentDescriptor.GATE_MINOR_VERSION + " and newer); recreate"
                    + " it with this version of heatgrid to read every frame");
        }
        long pageStart = SegmentDescriptor.GATE_WAITING_OFFSET & -SegmentDescriptor.PAGE_SIZE;
        MemorySegment page = file.mapReadWrite(pageStart, SegmentDescriptor.PAGE_SIZE);
        ConsumerTable table = new ConsumerTable(page, pageStart);
        for (int slot = 0; slot < SegmentDescriptor.CONSUMER_SLOTS; slot++) {
            FileLock lock;
            try {
                lock = file.tryLockByte(SegmentDescriptor.CONSUMER_LOCK_BYTE + slot, false);
            } catch (OverlappingFileLockException e) {
                continue; // another consumer in this JVM has it
            }
            if (lock == null) {
                continue; // a live consumer, or a writer probing a dead one's slot right now
            }
            Entry entry = enter(table, slot, ProcessIdentity.current(), Math.max(stallBound.toNanos(), 1),
                    reader::generation);
            return new GatingConsumer(reader, table, slot, lock, entry.membership(), entry.first());
        }
        throw new IOException("all " + SegmentDescriptor.CONSUMER_SLOTS + " gating consumer slots of segment "
                + file.path() + " are taken by live processes");
    }

    /**
     * The consumer's half of the join ordering (§4.4; jcstress runs it against {@link WriterGate#firstBlocking}),
     * on a slot whose lock byte this process holds: publishes the claim, reads the newest generation, and
     * lowers its hold to what it was promised (joining steps 2 and 3).
     */
    static Entry enter(ConsumerTable table, int slot, ProcessIdentity me, long stallNanos, LongSupplier generation) {
        long before = generation.getAsLong();
        long joined = table.claim(slot, me, stallNanos, Math.max(before - 1, 0));
        // Full fence (besides the volatile store in claim): our GATING store comes before this load
        // of the generation. Either the writer sees us before it reuses the buffer of `newest`, or
        // this load sees a generation it published after it last looked (§4.4).
        VarHandle.fullFence();
        long first = Math.max(generation.getAsLong(), 1);
        // Generations published between the two loads are not ours to hold: a writer needing their
        // buffers must not wait for a consumer that will never finish them (step 3).
        table.storeCursor(slot, first - 1);
        return new Entry(joined, first);
    }

    /** A claimed slot: its membership word as claimed, and the first generation the writer keeps for it. */
    record Entry(long membership, long first) {}

    /** The first generation this consumer is guaranteed: the newest one when it joined (or 1). */
    public long first() {
        return first;
    }

    /** Which entry of the table this consumer holds (0-based), as {@code heatgrid inspect} shows it. */
    public int slot() {
        return slot;
    }

    /** The newest generation this consumer has said it finished. */
    public long cursor() {
        return cursor;
    }

    /**
     * Says that {@code generation} and every one before it are finished with: the writer may reuse
     * their buffers. Wakes the writer if it waits for this consumer. Going backwards is ignored.
     */
    public void finished(long generation) {
        if (generation <= cursor) {
            return;
        }
        cursor = generation;
        table.storeCursor(slot, generation);
        // Volatile load after the volatile store: a writer that set the waiting word before our
        // store is woken; one that sets it after will read our new cursor before it sleeps (§4.4).
        if (table.waitingGeneration() != 0 && table.waitingSlot() == slot && Futex.AVAILABLE) {
            Futex.wakeAll(table.cursorFutexWord(slot));
        }
    }

    /** Whether the writer dropped this consumer (it stalled past its bound, or looked dead): frames may be lost. */
    public boolean dropped() {
        long membership = table.membership(slot);
        return ConsumerTable.joins(membership) != ConsumerTable.joins(joined)
                || ConsumerTable.state(membership) == ConsumerTable.DROPPED;
    }

    /** Why the writer dropped this consumer, in words; null if it did not. */
    public String dropReason() {
        if (!dropped()) {
            return null;
        }
        long at = table.dropGeneration(slot);
        long stall = TimeUnit.NANOSECONDS.toMillis(Math.clamp(table.stallNanos(slot), WriterGate.MIN_STALL_NANOS,
                WriterGate.MAX_STALL_NANOS));
        return switch (table.dropReason(slot)) {
            case ConsumerTable.DROP_STALLED -> "the writer stopped waiting for this consumer at generation " + at
                    + ": it did not advance within its gate timeout (" + stall + " ms)";
            case ConsumerTable.DROP_DIED -> "the writer stopped waiting for this consumer at generation " + at
                    + ": its lock byte was free, as if its process had died";
            default -> "the writer stopped waiting for this consumer";
        };
    }

    /** Leaves the gate: the slot is free again and the writer no longer waits for it. The reader stays open. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            long membership = table.membership(slot);
            if (ConsumerTable.joins(membership) == ConsumerTable.joins(joined)) {
                // Of this and a writer dropping us, one CAS wins; either way the writer stops waiting.
                table.compareAndSetMembership(slot, membership,
                        ConsumerTable.membership(ConsumerTable.FREE, ConsumerTable.joins(membership)));
            }
        } finally {
            if (lock.isValid()) {
                lock.release();
            }
        }
    }

    @Override
    public String toString() {
        return "gating consumer slot " + slot + " of " + reader.path() + " at generation " + cursor;
    }
}
