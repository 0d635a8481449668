package dev.heatgrid.segment;

/**
 * One entry of the command log: a command the writer took, when, and what came of it.
 *
 * @param command    the command as posted
 * @param step       solver step at which it took effect
 * @param generation newest published generation when it took effect
 * @param result     0 if applied; otherwise the writer refused it (see {@link #applied()})
 */
public record CommandRecord(SteeringCommand command, long step, long generation, int result) {
    /** Result code: applied. */
    public static final int APPLIED = 0;
    /** Result code: refused, e.g. an unknown parameter or a value out of range. */
    public static final int REFUSED = 1;
    /** Result code: this writer does not know the command. */
    public static final int UNKNOWN_COMMAND = 2;

    public boolean applied() {
        return result == APPLIED;
    }
}
