package dev.heatgrid.segment;

import java.util.ArrayList;
import java.util.List;

/**
 * What the consumer gate (docs/FORMAT.md §4.4) looks like right now, for {@code heatgrid inspect}.
 *
 * @param waitingGeneration the generation the writer waits to begin because a gating consumer still
 *                          holds its buffer; 0 when it is not waiting
 * @param waitingPid        the consumer it waits for (0 when not waiting)
 * @param waitingNanos      how long it has waited for that generation so far
 * @param waits             frames the writer had to wait for, ever
 * @param waitedNanos       time it spent waiting, in total
 * @param drops             consumers it dropped (dead, or stalled past their bound)
 * @param members           the occupied slots of the table
 */
public record GateStatus(long waitingGeneration, long waitingPid, long waitingNanos, long waits, long waitedNanos,
                         long drops, List<Member> members) {

    public GateStatus {
        members = List.copyOf(members);
    }

    /**
     * One entry of the table.
     *
     * @param state      {@code gating} (the writer waits for it) or {@code dropped} (it no longer does)
     * @param alive      whether that exact process (pid and start token) still runs
     * @param cursor     the newest generation it has finished
     * @param stallNanos how long the writer may wait for it to advance
     * @param dropReason why it was dropped, or null
     */
    public record Member(int slot, String state, long pid, boolean alive, long cursor, long stallNanos,
                         String dropReason) {
    }

    /** Reads the table through a reader's (read-only) mapping; entries a writer never saw are zero. */
    public static GateStatus of(FrameReader reader) {
        ConsumerTable table = new ConsumerTable(reader.file().mapping(), 0);
        var members = new ArrayList<Member>();
        for (int slot = 0; slot < SegmentDescriptor.CONSUMER_SLOTS; slot++) {
            int state = ConsumerTable.state(table.membership(slot));
            if (state != ConsumerTable.GATING && state != ConsumerTable.DROPPED) {
                continue;
            }
            ProcessIdentity owner = table.owner(slot);
            String reason = state != ConsumerTable.DROPPED ? null : switch (table.dropReason(slot)) {
                case ConsumerTable.DROP_DIED -> "died";
                case ConsumerTable.DROP_STALLED -> "stalled";
                default -> "unknown";
            };
            members.add(new Member(slot, state == ConsumerTable.GATING ? "gating" : "dropped", owner.pid(),
                    owner.pid() != 0 && owner.isAlive(), table.cursor(slot), table.stallNanos(slot), reason));
        }
        long waiting = table.waitingGeneration();
        long waitingPid = 0;
        long waitingNanos = 0;
        if (waiting != 0) {
            waitingPid = table.owner(Math.floorMod(table.waitingSlot(), SegmentDescriptor.CONSUMER_SLOTS)).pid();
            waitingNanos = Math.max(0, System.nanoTime() - table.waitingSince());
        }
        return new GateStatus(waiting, waitingPid, waitingNanos, table.waits(), table.waitedNanos(), table.drops(),
                members);
    }
}
