package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The consumer gate and table (docs/FORMAT.md §4.4): typed access to the words at 0x1800-0x1BFF,
 * the only class that touches them. Each of the {@link SegmentDescriptor#CONSUMER_SLOTS} entries is
 * one cache line written by one consumer (its cursor) and, rarely, by the writer (a drop); the gate
 * line is written by the writer only.
 *
 * <p>The view may start anywhere at or before 0x1800 in the file ({@code viewOffset}): the writer and
 * inspectors pass the header, a gating consumer its small read-write mapping of page 1.
 */
final class ConsumerTable {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    static final int FREE = 0;
    static final int GATING = 1;
    static final int DROPPED = 2;

    static final int DROP_DIED = 1;
    static final int DROP_STALLED = 2;

    private final MemorySegment view;
    private final long viewOffset;

    ConsumerTable(MemorySegment view, long viewOffset) {
        this.view = view;
        this.viewOffset = viewOffset;
    }

    private long at(int slot, int field) {
        return CONSUMERS_OFFSET + (long) slot * CONSUMER_ENTRY_SIZE + field - viewOffset;
    }

    private long gate(int offset) {
        return offset - viewOffset;
    }

    // ---- membership: state in the low half, the number of joins in the high half (tells claims apart) ----

    static int state(long membership) {
        return (int) membership;
    }

    /** Acquire: the entry's other words, written before the consumer published GATING, are visible after. */
    long membership(int slot) {
        return (long) WORD.getAcquire(view, at(slot, CONSUMER_MEMBERSHIP));
    }

    /** Volatile CAS: of a writer dropping and a consumer leaving, exactly one wins; a newer claim makes both fail. */
    boolean compareAndSetMembership(int slot, long expected, long value) {
        return WORD.compareAndSet(view, at(slot, CONSUMER_MEMBERSHIP), expected, value);
    }

    static long membership(int state, long joins) {
        return joins << 32 | (state & 0xFFFF_FFFFL);
    }

    static long joins(long membership) {
        return membership >>> 32;
    }

    // ---- the cursor: written by its consumer only ----

    /** Volatile: the writer's reads of cursors and its store of the waiting word are one Dekker pair (§4.4). */
    long cursor(int slot) {
        return (long) WORD.getVolatile(view, at(slot, CONSUMER_CURSOR));
    }

    /**
     * Consumer: generation {@code g} and everything before it are finished. Volatile: every load of those
     * frames happens-before a writer that reads this value (so it may overwrite them), and the following
     * load of the waiting word cannot move above it (Dekker with the writer, §4.4).
     */
    void storeCursor(int slot, long generation) {
        WORD.setVolatile(view, at(slot, CONSUMER_CURSOR), generation);
    }

    /** The u32 futex word a writer sleeps on while it waits for this consumer: the cursor's low half. */
    MemorySegment cursorFutexWord(int slot) {
        return view.asSlice(at(slot, CONSUMER_CURSOR), Integer.BYTES);
    }

    // ---- who the consumer is; written by the consumer before it publishes GATING ----

    /** Consumer, holding the slot's lock byte: fills the entry, then publishes GATING with the next join count. */
    long claim(int slot, ProcessIdentity me, long stallNanos, long cursor) {
        long previous = membership(slot);
        view.set(SegmentLayout.U64, at(slot, CONSUMER_PID), me.pid());
        view.set(SegmentLayout.U64, at(slot, CONSUMER_START), me.startToken());
        view.set(SegmentLayout.U64, at(slot, CONSUMER_STALL_NANOS), stallNanos);
        view.set(SegmentLayout.U32, at(slot, CONSUMER_DROP_REASON), 0);
        view.set(SegmentLayout.U64, at(slot, CONSUMER_DROP_GENERATION), 0L);
        view.set(SegmentLayout.U64, at(slot, CONSUMER_JOINED), System.nanoTime());
        // Opaque: one untorn store; the volatile store of GATING below publishes it with the rest.
        WORD.setOpaque(view, at(slot, CONSUMER_CURSOR), cursor);
        long joined = membership(GATING, joins(previous) + 1);
        // Volatile: all of the above is visible to a writer that sees GATING, and the consumer's next
        // load (of the generation) cannot move above this store (Dekker with the writer, §4.4).
        WORD.setVolatile(view, at(slot, CONSUMER_MEMBERSHIP), joined);
        return joined;
    }

    ProcessIdentity owner(int slot) {
        return new ProcessIdentity(view.get(SegmentLayout.U64, at(slot, CONSUMER_PID)),
                view.get(SegmentLayout.U64, at(slot, CONSUMER_START)));
    }

    long stallNanos(int slot) {
        return view.get(SegmentLayout.U64, at(slot, CONSUMER_STALL_NANOS));
    }

    long joinedNanos(int slot) {
        return view.get(SegmentLayout.U64, at(slot, CONSUMER_JOINED));
    }

    // ---- drops: the writer writes why, then CASes GATING -> DROPPED (which publishes the why) ----

    /** Plain stores of the why: the CAS (volatile) publishes them to a consumer that acquires DROPPED. */
    boolean drop(int slot, long membership, int reason, long generation) {
        view.set(SegmentLayout.U32, at(slot, CONSUMER_DROP_REASON), reason);
        view.set(SegmentLayout.U64, at(slot, CONSUMER_DROP_GENERATION), generation);
        return compareAndSetMembership(slot, membership, membership(DROPPED, joins(membership)));
    }

    int dropReason(int slot) {
        return view.get(SegmentLayout.U32, at(slot, CONSUMER_DROP_REASON));
    }

    long dropGeneration(int slot) {
        return view.get(SegmentLayout.U64, at(slot, CONSUMER_DROP_GENERATION));
    }

    // ---- the gate line: written by the writer only ----

    /** Writer: says which generation it waits to begin and for whom. Volatile: the Dekker store of §4.4. */
    void beginWait(long generation, int slot, long since) {
        INT.setVolatile(view, gate(GATE_WAITING_SLOT_OFFSET), slot);
        view.set(SegmentLayout.U64, gate(GATE_WAITING_SINCE_OFFSET), since);
        WORD.setVolatile(view, gate(GATE_WAITING_OFFSET), generation);
    }

    /** Writer: now waiting for another consumer. Volatile: as {@link #beginWait}, before it reads that cursor. */
    void waitingFor(int slot) {
        INT.setVolatile(view, gate(GATE_WAITING_SLOT_OFFSET), slot);
    }

    /**
     * Writer: done waiting; adds the wait to the totals. One writer, so an opaque read-modify-write is
     * enough (opaque: untorn words for an inspector); release on waiting := 0: an inspector that
     * acquires 0 sees the totals that include this wait.
     */
    void endWait(long waitedNanos) {
        WORD.setOpaque(view, gate(GATE_WAITS_OFFSET), (long) WORD.getOpaque(view, gate(GATE_WAITS_OFFSET)) + 1);
        WORD.setOpaque(view, gate(GATE_WAITED_NANOS_OFFSET),
                (long) WORD.getOpaque(view, gate(GATE_WAITED_NANOS_OFFSET)) + waitedNanos);
        WORD.setRelease(view, gate(GATE_WAITING_OFFSET), 0L);
    }

    /** Writer only: opaque read-modify-write, an untorn word for an inspector. */
    void countDrop() {
        WORD.setOpaque(view, gate(GATE_DROPS_OFFSET), (long) WORD.getOpaque(view, gate(GATE_DROPS_OFFSET)) + 1);
    }

    /** Volatile: a consumer's load after its cursor store (Dekker with {@link #beginWait}). */
    long waitingGeneration() {
        return (long) WORD.getVolatile(view, gate(GATE_WAITING_OFFSET));
    }

    /** Volatile: read by a consumer after its cursor store, like {@link #waitingGeneration}. */
    int waitingSlot() {
        return (int) INT.getVolatile(view, gate(GATE_WAITING_SLOT_OFFSET));
    }

    // ---- for inspectors: opaque, untorn single loads; no ordering is claimed between them ----

    long waitingSince() {
        return (long) WORD.getOpaque(view, gate(GATE_WAITING_SINCE_OFFSET));
    }

    long waits() {
        return (long) WORD.getOpaque(view, gate(GATE_WAITS_OFFSET));
    }

    long waitedNanos() {
        return (long) WORD.getOpaque(view, gate(GATE_WAITED_NANOS_OFFSET));
    }

    long drops() {
        return (long) WORD.getOpaque(view, gate(GATE_DROPS_OFFSET));
    }
}
