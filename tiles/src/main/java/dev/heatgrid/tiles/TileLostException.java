package dev.heatgrid.tiles;

import java.io.IOException;

/** A tile stopped answering (or another tile reported it so): the run stops everywhere. */
public final class TileLostException extends IOException {
    private final int lost;
    private final long commonStep;

    TileLostException(String message, int lost, long commonStep) {
        super(message);
        this.lost = lost;
        this.commonStep = commonStep;
    }

    /** Rank of the lost tile. */
    int lost() {
        return lost;
    }

    /** The last step every tile completed (published): where {@code run --resume} restarts. */
    long commonStep() {
        return commonStep;
    }
}
