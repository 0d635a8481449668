package dev.heatgrid.segment;

/**
 * Steering commands, as stored in the command slot's code word. Codes are part of the format: any
 * program may post them; the writer decides what each means for its kernel and records the result.
 */
public enum SteeringCode {
    /** Stop stepping; keep the segment and take further commands. */
    PAUSE(1),
    /** Step again after a pause. */
    RESUME(2),
    /** Finish the run as if it had reached its end. */
    STOP(3),
    /** Set parameter {@code key} to {@code args[0]}. */
    SET(4),
    /** Heat a disc: centre ({@code args[0]}, {@code args[1]}) in cells, radius {@code args[2]} cells, temperature {@code args[3]}. */
    HEAT(5);

    private final int code;

    SteeringCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The command for a stored code, or null for a code this version does not know. */
    public static SteeringCode of(int code) {
        for (SteeringCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
