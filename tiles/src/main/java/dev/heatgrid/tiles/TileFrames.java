package dev.heatgrid.tiles;

import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.SteeringCommand;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Where a gatherer takes the tiles' frames from: their segments on this host ({@link LocalTiles}),
 * or the tile processes over UDP ({@link RemoteTiles}). Either way the tiles never wait for it.
 */
interface TileFrames extends AutoCloseable {
    /** The run, as its tiles describe it. */
    record Description(int nx, int ny, List<String> fields, double dx, double dy, double dt, String kernel,
                       String boundary, int tiles, Map<String, String> params) {
    }

    /**
     * Every tile's frame of one read.
     *
     * @param steps  per tile, the step it supplied, or -1 if it supplied none
     * @param time   the simulated time of tile 0's frame
     * @param params the parameters in effect in tile 0's frame
     */
    record Fetch(long[] steps, double time, String params) {
        /** The one step every tile supplied, or -1 if they differ or one is missing. */
        long commonStep() {
            long s = steps[0];
            for (long t : steps) {
                if (t != s || t < 0) {
                    return -1;
                }
            }
            return s;
        }

        long newestStep() {
            long s = -1;
            for (long t : steps) {
                s = Math.max(s, t);
            }
            return s;
        }
    }

    /** What became of a steering command relayed to the tiles: the record tile 0 logged, and its message. */
    record Outcome(CommandRecord record, String message) {
    }

    Description describe() throws IOException;

    /**
     * Adds every tile's frame of the oldest step at or after {@code atLeast} it holds (the newest if
     * {@code atLeast < 0}) into {@code sums}, each tile waiting up to {@code waitNanos} for that step.
     */
    Fetch fetch(long atLeast, BlockSums sums, long waitNanos) throws IOException;

    /** Hands a command to tile 0, which proposes it to every tile; waits for its outcome. */
    Outcome steer(SteeringCommand command, Duration timeout) throws IOException;

    @Override
    void close() throws IOException;
}
