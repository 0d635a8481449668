package dev.heatgrid.tiles;

import java.io.IOException;

/** Another tile of the run failed before its first step and said why ({@link Refusal}): this tile stops too. */
final class TileRefusedException extends IOException {
    TileRefusedException(String message) {
        super(message);
    }
}
