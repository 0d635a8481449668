package dev.heatgrid.tiles;

/**
 * Tiles were started with different options ({@link Handshake}): every tile finds the difference
 * itself, from the descriptions all of them exchanged, and refuses with its own view of it.
 */
final class TileMismatchException extends IllegalArgumentException {
    TileMismatchException(String message) {
        super(message);
    }
}
