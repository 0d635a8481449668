package dev.heatgrid.solver;

import dev.heatgrid.segment.FieldStats;
import java.time.Duration;

/**
 * A snapshot of a run, handed to the {@link ProgressListener} after every publication and when the
 * solver pauses: what a progress bar shows.
 *
 * @param step       absolute step number of the newest frame
 * @param time       its simulated time
 * @param generation its generation in the segment
 * @param stepsDone  steps taken in this run
 * @param fraction   how far the run is towards its stop condition, 0..1, or NaN when unknowable
 *                   (steady state, until stopped)
 * @param elapsed    stepping time so far (pauses excluded)
 * @param eta        estimated stepping time left, or null when unknowable
 * @param mlups      million node updates per second so far
 * @param paused     whether a steering client paused the solver
 * @param maxDelta   max |du| of the newest published step, or NaN if not measured (only with a
 *                   steady-state stop condition)
 * @param stats      statistics of the first field of the newest frame
 */
public record Progress(long step, double time, long generation, long stepsDone, double fraction, Duration elapsed,
                       Duration eta, double mlups, boolean paused, double maxDelta, FieldStats stats) {
}
