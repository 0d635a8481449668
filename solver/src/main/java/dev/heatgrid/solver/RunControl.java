package dev.heatgrid.solver;

/**
 * Stops a run from another thread: a signal handler, a GUI, a test. Thread-safe; the solver looks
 * at it between steps (and, for {@link #abandon}, between chunks of rows inside a step).
 */
public final class RunControl {
    private volatile StopReason stop;
    private volatile boolean abandon;

    /**
     * Finish the step in progress, publish what was computed since the last publication, and end
     * the run with {@code reason}. The first request wins.
     */
    public void requestStop(StopReason reason) {
        if (stop == null) {
            stop = reason;
        }
    }

    /**
     * Stop as soon as possible: the step in progress is abandoned, not published, so the newest
     * published frame stays the last one. The file stays consistent either way.
     */
    public void abandon(StopReason reason) {
        requestStop(reason);
        abandon = true;
    }

    /** The first requested reason, or null. */
    public StopReason stopRequested() {
        return stop;
    }

    public boolean abandoned() {
        return abandon;
    }
}
