package dev.heatgrid.segment;

/**
 * One entry of the command log: a command the writer took, when, and what came of it.
 *
 * @param command    the command as posted
 * @param step       solver step at which it took effect
 * @param generation newest published generation when it took effect
 * @param result     {@link #APPLIED}, {@link #REFUSED}, {@link #UNKNOWN_COMMAND} or {@link #DISCARDED};
 *                   readers treat any other value as not applied
 */
public record CommandRecord(SteeringCommand command, long step, long generation, int result) {
    /** Result code: applied. */
    public static final int APPLIED = 0;
    /** Result code: refused, e.g. an unknown parameter or a value out of range. */
    public static final int REFUSED = 1;
    /** Result code: this writer does not know the command. */
    public static final int UNKNOWN_COMMAND = 2;
    /**
     * Result code: not even considered: it was posted to another writer run (a resumed writer finds
     * its predecessor's), it expired before the writer took it, or its seal did not match.
     */
    public static final int DISCARDED = 3;

    public boolean applied() {
        return result == APPLIED;
    }
}
