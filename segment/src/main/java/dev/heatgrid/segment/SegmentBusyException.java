package dev.heatgrid.segment;

import java.io.IOException;

/**
 * A segment is in use where the caller needs it free: another live process is its writer (single
 * writer rule), it was kept by an earlier run that published frames, or its lock stayed held for
 * longer than the caller would wait.
 */
public final class SegmentBusyException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why the segment is not available. */
    public enum Reason {
        /** Another live process is the writer. */
        WRITER,
        /** An earlier run kept the segment and published frames: replacing it would lose them. */
        KEPT,
        /** The shared lock stayed held (within its lease) for longer than the caller's wait. */
        LOCK
    }

    private final long ownerPid;
    private final Reason reason;

    public SegmentBusyException(String message, long ownerPid, Reason reason) {
        super(message);
        this.ownerPid = ownerPid;
        this.reason = reason;
    }

    /** Pid of the process holding the segment, or 0 when unknown. */
    public long ownerPid() {
        return ownerPid;
    }

    public Reason reason() {
        return reason;
    }
}
