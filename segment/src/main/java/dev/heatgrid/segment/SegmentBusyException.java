package dev.heatgrid.segment;

import java.io.IOException;

/**
 * Another live process is already the writer of a segment (single writer rule), or a segment is
 * in use where the caller needs it free.
 */
public final class SegmentBusyException extends IOException {
    private static final long serialVersionUID = 1L;

    private final long ownerPid;

    public SegmentBusyException(String message, long ownerPid) {
        super(message);
        this.ownerPid = ownerPid;
    }

    /** Pid of the process holding the segment, or 0 when unknown. */
    public long ownerPid() {
        return ownerPid;
    }
}
