package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * The waiters word at {@link SegmentDescriptor#WAITERS_OFFSET} (docs/FORMAT.md 4.3): a reader about
 * to sleep in {@code FUTEX_WAIT} sets it to 1; a writer that finds it set after storing a new
 * generation clears it and makes the {@code FUTEX_WAKE} system call; a writer that finds 0 makes
 * none, so publishing with nobody waiting costs no system call.
 *
 * <p>No lost wake-up. The reader stores 1, then reads the generation again, and sleeps only if it is
 * still g (FUTEX_WAIT itself sleeps only while the word still holds g). The writer stores g + 1,
 * then reads the waiters word. Both are a store followed by a load of the other's word, with a full
 * fence between them (a volatile store, {@link VarHandle#fullFence}), so in the total order of those
 * four operations at least one side sees the other's store: either the reader sees g + 1 and does
 * not sleep, or the writer sees 1 and wakes; its wake comes after its store of g + 1, so a reader
 * that is not yet asleep then finds the futex word changed and does not sleep either. The writer
 * clears the word (an atomic exchange) before it wakes; a reader announces itself again before every
 * sleep, so a clear never strands anyone. Several readers share the one word; a reader killed while
 * asleep leaves it at 1, which costs one wake with nobody to wake, then it is 0 again.
 *
 * <p>Older files and programs: a writer that does not know the word wakes on every publish (safe).
 * A reader that does not set it (an older one, or one that may not write the file) is not woken by
 * a newer writer; FORMAT.md bounds every sleep (50 ms), and such readers sleep at most 1 ms at a time.
 */
final class Waiters {
    private static final VarHandle WORD = ValueLayout.JAVA_INT.varHandle();

    private Waiters() {
    }

    /** The waiters word's cache line in a mapping of the header's first page (the only line a reader writes). */
    static MemorySegment line(MemorySegment firstPage) {
        return firstPage.asSlice(SegmentDescriptor.WAITERS_OFFSET, SegmentDescriptor.CACHE_LINE);
    }

    /**
     * Reader, before its last look at the generation: "I may sleep". The fence orders the store before
     * that load. {@code waitersLine} is {@link #line}'s.
     */
    static void announce(MemorySegment waitersLine) {
        WORD.setVolatile(waitersLine, 0L, 1);
        VarHandle.fullFence();
    }

    /**
     * Writer, after storing the new generation: whether a reader may be asleep; if so the word is
     * cleared and the caller must wake. The fence orders the generation store before the load.
     */
    static boolean take(MemorySegment header) {
        VarHandle.fullFence();
        if ((int) WORD.getVolatile(header, (long) SegmentDescriptor.WAITERS_OFFSET) == 0) {
            return false;
        }
        return (int) WORD.getAndSet(header, (long) SegmentDescriptor.WAITERS_OFFSET, 0) != 0;
    }
}
