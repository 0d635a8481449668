package dev.heatgrid.solver;

import java.time.Duration;
import java.util.Locale;

/**
 * How a run ended.
 *
 * @param reason     why it stopped
 * @param stepsDone  steps taken in this run
 * @param step       absolute step number of the last published frame
 * @param time       simulated time of the last published frame
 * @param generation generation of the last published frame
 * @param elapsed    stepping time (pauses excluded)
 * @param mlups      million node updates per second over the run (publication included)
 */
public record RunResult(StopReason reason, long stepsDone, long step, double time, long generation, Duration elapsed,
                        double mlups) {
    /** The exit code a command-line tool should end with: see {@link StopReason#exitCode()}. */
    public int exitCode() {
        return reason.exitCode();
    }

    /** One line for a final summary. */
    public String summary() {
        return String.format(Locale.ROOT, "%s after %d steps: step %d, t = %.6g, generation %d, %.3f s, %.1f MLUPS",
                reason.name().toLowerCase(Locale.ROOT).replace('_', ' '), stepsDone, step, time, generation,
                elapsed.toNanos() / 1e9, mlups);
    }
}
