package dev.heatgrid.segment;

/** What the writer says it is doing, stored at {@link SegmentDescriptor#WRITER_STATE_OFFSET}. */
public enum WriterState {
    /** No writer has attached yet. */
    NONE(0),
    /** Stepping and publishing. */
    RUNNING(1),
    /** Alive and taking commands, but not stepping. */
    PAUSED(2),
    /** Left cleanly; the last published frame is final. */
    EXITED(3);

    private final int code;

    WriterState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The state for a stored code; unknown codes (a newer writer) read as RUNNING. */
    public static WriterState of(int code) {
        for (WriterState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        return RUNNING;
    }
}
