package dev.heatgrid.cli;

/** A mistake in what the user typed, found while running a command: exits 2 like a parse error. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
