package dev.heatgrid.solver;

/** Why a run ended, and the process exit code a command-line tool should use for it. */
public enum StopReason {
    /** The requested number of steps was taken. */
    STEPS_DONE(0),
    /** Simulated time reached the requested end time. */
    TIME_REACHED(0),
    /** The largest change of a step fell below the steady-state tolerance. */
    STEADY_STATE(0),
    /** The requested wall-clock duration elapsed. */
    DURATION_ELAPSED(0),
    /** A steering client sent STOP. */
    STEERED(0),
    /** {@link RunControl#requestStop} from the embedding program. */
    REQUESTED(0),
    /** SIGINT (Ctrl-C): the conventional exit code 128 + 2. */
    INTERRUPTED(130),
    /** SIGTERM: a polite request to finish, so a clean exit. */
    TERMINATED(0),
    /** A frame held NaN or infinite values: the scheme blew up (unstable kernel or parameters). */
    DIVERGED(1);

    private final int exitCode;

    StopReason(int exitCode) {
        this.exitCode = exitCode;
    }

    /** 0 for a normal end, 130 after SIGINT, 1 when the numbers blew up. */
    public int exitCode() {
        return exitCode;
    }
}
