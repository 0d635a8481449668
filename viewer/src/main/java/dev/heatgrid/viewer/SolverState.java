package dev.heatgrid.viewer;

import dev.heatgrid.segment.WriterState;
import dev.heatgrid.segment.WriterStatus;
import java.util.concurrent.TimeUnit;

/** What the viewer can tell about the process writing the segment. */
public enum SolverState {
    /** No writer has attached to the segment yet. */
    NONE("no solver yet"),
    RUNNING("running"),
    PAUSED("paused"),
    /** Left cleanly: the last frame is final. */
    EXITED("exited"),
    /** Its process no longer exists but it never said it was leaving: killed or crashed. */
    GONE("gone (killed or crashed)"),
    /** Its process exists, says it is running, but has not shown a sign of life for a while. */
    NOT_RESPONDING("not responding");

    /** A running writer publishes or heartbeats every 10 ms; this much silence means it is stuck. */
    public static final long NOT_RESPONDING_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String text;

    SolverState(String text) {
        this.text = text;
    }

    public static SolverState of(WriterStatus writer) {
        if (writer.state() == WriterState.EXITED) {
            return EXITED;
        }
        if (writer.pid() == 0 || writer.state() == WriterState.NONE) {
            return NONE;
        }
        if (!writer.alive()) {
            return GONE;
        }
        if (writer.state() == WriterState.PAUSED) {
            return PAUSED;
        }
        return writer.heartbeatAgeNanos() > NOT_RESPONDING_AFTER_NANOS ? NOT_RESPONDING : RUNNING;
    }

    /** Whether no more frames will come from this writer. */
    public boolean finished() {
        return this == EXITED || this == GONE;
    }

    @Override
    public String toString() {
        return text;
    }
}
