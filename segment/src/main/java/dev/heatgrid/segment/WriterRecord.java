package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;

/**
 * The writer record (docs/FORMAT.md §2.2): pid, start token, heartbeat, state and run number of
 * the segment's writer, at 0x380-0x3BF. This class alone reads and writes those words: the writer
 * claims the record and keeps it up to date; everyone else reads a {@link WriterStatus} from it.
 *
 * <p>Ordering: a claim stores state NONE, then the identity, then state RUNNING with release; a
 * reader loads the state with acquire, the identity, and the state again, so an identity read
 * between two equal states belongs to the writer that released that state.
 */
final class WriterRecord {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** A reader that keeps catching a claim half way gives up after this many tries and reports what it saw. */
    private static final int READ_TRIES = 100;

    private final MemorySegment header;

    WriterRecord(MemorySegment header) {
        this.header = header;
    }

    /**
     * Writer: records {@code me} as the writer with the next run number, state RUNNING. Returns the
     * writer run that steering commands must now be addressed to.
     */
    WriterRun claim(ProcessIdentity me, long nowNanos) {
        int run = (int) INT.getOpaque(header, (long) WRITER_RUN_OFFSET) + 1;
        INT.setOpaque(header, (long) WRITER_STATE_OFFSET, WriterState.NONE.code());
        // Store-store fence: a reader must not see the new identity under the old state.
        VarHandle.storeStoreFence();
        WORD.setOpaque(header, (long) WRITER_PID_OFFSET, me.pid());
        WORD.setOpaque(header, (long) WRITER_START_OFFSET, me.startToken());
        INT.setOpaque(header, (long) WRITER_RUN_OFFSET, run);
        WORD.setOpaque(header, (long) WRITER_HEARTBEAT_OFFSET, nowNanos);
        // Release: whoever acquires RUNNING sees the whole identity above.
        INT.setRelease(header, (long) WRITER_STATE_OFFSET, WriterState.RUNNING.code());
        return new WriterRun(me.pid(), me.startToken(), Integer.toUnsignedLong(run));
    }

    /** Writer: a sign of life, {@code CLOCK_MONOTONIC} nanoseconds. */
    void heartbeat(long nowNanos) {
        WORD.setOpaque(header, (long) WRITER_HEARTBEAT_OFFSET, nowNanos);
    }

    /** Writer: what it is doing now. Release: a reader that sees EXITED sees the final frame's publication. */
    void setState(WriterState state) {
        INT.setRelease(header, (long) WRITER_STATE_OFFSET, state.code());
    }

    /** The state alone (acquire), for the removal rule (EXITED means the writer left cleanly) and for a waiting reader (nobody wakes it after EXITED). */
    WriterState state() {
        return WriterState.of((int) INT.getAcquire(header, (long) WRITER_STATE_OFFSET));
    }

    /** The record as it stands, and whether its process still runs. */
    WriterStatus read() {
        for (int attempt = 0; ; attempt++) {
            int state = (int) INT.getAcquire(header, (long) WRITER_STATE_OFFSET);
            long pid = (long) WORD.getOpaque(header, (long) WRITER_PID_OFFSET);
            long start = (long) WORD.getOpaque(header, (long) WRITER_START_OFFSET);
            long run = Integer.toUnsignedLong((int) INT.getOpaque(header, (long) WRITER_RUN_OFFSET));
            long heartbeat = (long) WORD.getOpaque(header, (long) WRITER_HEARTBEAT_OFFSET);
            // Acquire fence: the identity loads complete before the state is checked again.
            VarHandle.loadLoadFence();
            if ((int) INT.getOpaque(header, (long) WRITER_STATE_OFFSET) != state && attempt < READ_TRIES) {
                continue; // a writer is claiming the record right now
            }
            boolean alive = pid != 0 && new ProcessIdentity(pid, start).isAlive();
            long age = heartbeat == 0 ? Long.MAX_VALUE : System.nanoTime() - heartbeat;
            return new WriterStatus(pid, start, run, alive, WriterState.of(state), age);
        }
    }

    /**
     * The writer recorded in a file that is not mapped yet, read through its descriptor (a creator
     * asking whether the holder of the writer byte is that writer); null if none was ever recorded.
     */
    static ProcessIdentity recordedIn(FileChannel channel) throws IOException {
        long pid = SegmentFile.readU64(channel, WRITER_PID_OFFSET);
        return pid == 0 ? null : new ProcessIdentity(pid, SegmentFile.readU64(channel, WRITER_START_OFFSET));
    }

    /** The recorded pid alone (for messages naming a busy writer). */
    long pid() {
        return (long) WORD.getOpaque(header, (long) WRITER_PID_OFFSET);
    }
}
