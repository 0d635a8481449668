package dev.heatgrid.solver;

import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.SteeringCommand;

/**
 * Hears about a run while it goes. Called from a solver thread between steps, while the workers
 * wait: keep it short (a CLI redraws its progress bar at most a few times a second and ignores the
 * other calls).
 */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void onProgress(Progress progress) {
        }

        @Override
        public long progressIntervalNanos() {
            return Long.MAX_VALUE;
        }
    };

    /** After a publication at most every {@link #progressIntervalNanos()}, and when the solver pauses or resumes. */
    void onProgress(Progress progress);

    /**
     * How often this listener wants {@link #onProgress} after publications: 0 (the default) after
     * every one. A longer interval spares a fast run making a {@link Progress} per step that nobody reads.
     */
    default long progressIntervalNanos() {
        return 0;
    }

    /** After a steering command was taken: what was done, or why not (as recorded in the segment). */
    default void onCommand(SteeringCommand command, CommandOutcome outcome) {
    }
}
