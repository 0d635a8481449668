package dev.heatgrid.solver;

import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.SteeringCommand;

/**
 * Hears about a run while it goes. Called from a solver thread between steps, while the workers
 * wait: keep it short (a CLI redraws its progress bar at most a few times a second and ignores the
 * other calls).
 */
public interface ProgressListener {
    ProgressListener NONE = progress -> { };

    /** After every publication, and when the solver pauses or resumes. */
    void onProgress(Progress progress);

    /** After a steering command was taken: what was done, or why not (as recorded in the segment). */
    default void onCommand(SteeringCommand command, CommandOutcome outcome) {
    }
}
