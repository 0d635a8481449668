package dev.heatgrid.segment;

import java.io.IOException;

/**
 * This process held the segment's shared lock for longer than the lease and another process took
 * it over (docs/FORMAT.md §5), typically because this process was stopped (SIGSTOP, a debugger) or
 * starved while holding it. Whatever the hold was for did not happen: a steering command was not
 * posted.
 */
public final class LeaseExpiredException extends IOException {
    private static final long serialVersionUID = 1L;

    public LeaseExpiredException(String message) {
        super(message);
    }
}
