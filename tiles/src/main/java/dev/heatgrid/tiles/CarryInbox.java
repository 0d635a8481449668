package dev.heatgrid.tiles;

import java.util.ArrayDeque;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Line carries that arrived from each neighbour and were not taken yet, in arrival order (Aeron
 * keeps one sender's messages in order, and a line solve takes a neighbour's messages in the order
 * it sent them). A carry may arrive while this tile still waits for another neighbour's halo or
 * carry, or computes: a neighbour earlier in the line is done with these lines sooner. Copies are
 * reused: at most a pass's worth of messages is ever held.
 */
final class CarryInbox {
    private final ArrayDeque<UnsafeBuffer>[] waiting;
    private final ArrayDeque<UnsafeBuffer> spare = new ArrayDeque<>();

    @SuppressWarnings("unchecked")
    CarryInbox(int neighbours) {
        this.waiting = new ArrayDeque[neighbours];
        for (int s = 0; s < neighbours; s++) {
            waiting[s] = new ArrayDeque<>();
        }
    }

    /** Keeps a copy of the message at {@code offset} from neighbour slot {@code s}. */
    void add(int s, DirectBuffer message, int offset, int length) {
        UnsafeBuffer copy = spare.poll();
        if (copy == null || copy.capacity() < length) {
            copy = new UnsafeBuffer(new byte[Math.max(length, 2048)]);
        }
        copy.putBytes(0, message, offset, length);
        waiting[s].add(copy);
    }

    /** The oldest message from slot {@code s} (at offset 0), or null. */
    UnsafeBuffer peek(int s) {
        return waiting[s].peek();
    }

    /** Drops the oldest message from slot {@code s}, its copy kept for the next one. */
    void remove(int s) {
        spare.add(waiting[s].remove());
    }
}
