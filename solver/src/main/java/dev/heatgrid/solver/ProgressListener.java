package dev.heatgrid.solver;

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

    /**
     * After a steering command was taken.
     *
     * @param result  {@link dev.heatgrid.segment.CommandRecord#APPLIED}, {@code REFUSED} or {@code UNKNOWN_COMMAND}
     * @param message what was done, or why it was refused
     */
    default void onCommand(SteeringCommand command, int result, String message) {
    }
}
