package dev.heatgrid.viewer;

import dev.heatgrid.segment.WriterStatus;

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

    private final String text;

    SolverState(String text) {
        this.text = text;
    }

    /** The writer's liveness ({@link WriterStatus#liveness()}, the one rule) in the viewer's words. */
    public static SolverState of(WriterStatus writer) {
        return switch (writer.liveness()) {
            case NONE -> NONE;
            case RUNNING -> RUNNING;
            case PAUSED -> PAUSED;
            case NOT_RESPONDING -> NOT_RESPONDING;
            case EXITED -> EXITED;
            case GONE -> GONE;
        };
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
