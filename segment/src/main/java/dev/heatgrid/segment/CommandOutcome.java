package dev.heatgrid.segment;

import java.util.Objects;

/**
 * What became of a steering command, as the writer records it: a verdict and the one line that
 * explains it to the poster (what was done, or why not). There is no outcome without its reason,
 * so a poster never sees a bare "refused".
 *
 * @param verdict applied, refused, unknown or discarded
 * @param message the explanation; not blank
 */
public record CommandOutcome(Verdict verdict, String message) {
    /** The verdicts, with the result codes of docs/FORMAT.md §2.3 (owned by {@link CommandRecord}). */
    public enum Verdict {
        APPLIED(CommandRecord.APPLIED),
        REFUSED(CommandRecord.REFUSED),
        UNKNOWN_COMMAND(CommandRecord.UNKNOWN_COMMAND),
        /** Not considered: for another writer run, expired, or its seal did not match (the writer decides this itself). */
        DISCARDED(CommandRecord.DISCARDED);

        private final int code;

        Verdict(int code) {
            this.code = code;
        }

        /** The code stored in the command log. */
        public int code() {
            return code;
        }
    }

    public CommandOutcome {
        Objects.requireNonNull(verdict, "verdict");
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a command outcome needs its reason");
        }
    }

    public static CommandOutcome applied(String message) {
        return new CommandOutcome(Verdict.APPLIED, message);
    }

    public static CommandOutcome refused(String reason) {
        return new CommandOutcome(Verdict.REFUSED, reason);
    }

    public static CommandOutcome unknown(String reason) {
        return new CommandOutcome(Verdict.UNKNOWN_COMMAND, reason);
    }

    /** A command the writer did not consider; the message says it was discarded and why. */
    public static CommandOutcome discarded(String reason) {
        return new CommandOutcome(Verdict.DISCARDED, "discarded: " + reason);
    }
}
