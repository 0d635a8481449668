package dev.heatgrid.segment;

import java.io.IOException;

/**
 * A steering exchange ran out of time. {@link #taken()} says whether the writer had taken the
 * command: if not, it has expired and will never be obeyed; if so, its outcome is in the command
 * log once the writer writes it.
 */
public final class SteeringTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean taken;

    public SteeringTimeoutException(String message, boolean taken) {
        super(message);
        this.taken = taken;
    }

    public boolean taken() {
        return taken;
    }
}
