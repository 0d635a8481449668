package dev.heatgrid.viewer;

import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.WriterStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Everything the status line says, as of one moment.
 *
 * @param segment           the path followed
 * @param problem           what is wrong with the attachment (missing, removed, truncated, invalid), or null
 * @param field             field shown, or null before the first attachment
 * @param generation        generation of the frame on screen, 0 if none
 * @param newestGeneration  newest generation published in the segment (may be ahead of the one shown)
 * @param step              its solver step
 * @param time              its simulated time
 * @param solverStepsPerSecond solver steps per second (from the frames' publish times), NaN if unknown
 * @param framesShownPerSecond frames actually painted per second
 * @param frameAgeMillis    publish to paint of the last painted frame, in ms; NaN before the first
 * @param skipped           generations published but coalesced because the viewer had no time to show them
 * @param checksum          checksum outcome of recent frames
 * @param solver            the writer's state
 * @param solverPid         the writer's pid, 0 if none
 * @param recentCommands    steering commands the solver applied lately, newest first
 * @param warning           a read problem other than the checksum (e.g. the writer keeps overtaking reads), or null
 */
public record ViewerStatus(Path segment, String problem, String field, long generation,
                           long newestGeneration, long step, double time,
                           double solverStepsPerSecond, double framesShownPerSecond, double frameAgeMillis,
                           long skipped, ChecksumState checksum, SolverState solver, long solverPid,
                           List<CommandRecord> recentCommands, String warning) {
    public ViewerStatus {
        recentCommands = List.copyOf(recentCommands);
    }

    /** The one-line summary: {@link #frameLine()} then {@link #healthLine()}. */
    public String line() {
        return frameLine() + "  ·  " + healthLine();
    }

    /** The frame on display and the rates: generation, step, time, solver steps/s, frames/s, age, skipped. */
    public String frameLine() {
        var s = new StringJoiner("  ·  ");
        if (generation == 0) {
            s.add("no frame yet");
        } else {
            s.add("gen " + generation);
            s.add("step " + step);
            s.add("t = " + Numbers.compact(time));
        }
        s.add(rate(solverStepsPerSecond) + " steps/s");
        s.add(String.format(Locale.ROOT, "%.1f fps", Double.isNaN(framesShownPerSecond) ? 0 : framesShownPerSecond));
        s.add("age " + (Double.isNaN(frameAgeMillis) ? "-" : String.format(Locale.ROOT, "%.0f ms", frameAgeMillis)));
        s.add("skipped " + skipped);
        return s.toString();
    }

    /** Checksum state and the solver's state. */
    public String healthLine() {
        return checksum + "  ·  solver " + solver + (solverPid != 0 ? " (pid " + solverPid + ")" : "");
    }

    /** What needs attention, worst first: attachment, checksum, read and solver problems; null if all is well. */
    public String alert() {
        var s = new StringJoiner("; ");
        if (problem != null) {
            s.add(problem);
        }
        if (checksum.failing() && checksum.problem() != null) {
            s.add(checksum.problem());
        }
        if (warning != null) {
            s.add(warning);
        }
        if (solver == SolverState.GONE) {
            s.add("the solver stopped without exiting (killed or crashed); showing its last frame");
        } else if (solver == SolverState.NOT_RESPONDING) {
            s.add("the solver has shown no sign of life for over "
                    + WriterStatus.NOT_RESPONDING_AFTER_NANOS / 1_000_000_000 + " s");
        } else if (solver == SolverState.EXITED && generation != 0) {
            s.add("the solver exited; this is its final frame");
        }
        return s.length() == 0 ? null : s.toString();
    }

    /** The last few steering commands, e.g. {@code step 1200: set alpha=0.2 (applied)}; empty if none. */
    public String commandsLine() {
        var s = new StringJoiner("  ·  ");
        for (CommandRecord c : recentCommands) {
            s.add("step " + c.step() + ": " + c.command() + (c.applied() ? "" : switch (c.result()) {
                case CommandRecord.REFUSED -> " (refused)";
                case CommandRecord.UNKNOWN_COMMAND -> " (unknown command)";
                case CommandRecord.DISCARDED -> " (discarded)";
                default -> " (result " + c.result() + ")";
            }));
        }
        return s.toString();
    }

    private static String rate(double perSecond) {
        if (Double.isNaN(perSecond)) {
            return "-";
        }
        return perSecond >= 100 ? String.format(Locale.ROOT, "%.0f", perSecond)
                : String.format(Locale.ROOT, "%.1f", perSecond);
    }
}
