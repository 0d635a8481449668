package dev.heatgrid.solver;

import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.SteeringCommand;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.LineCarries;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The step loop's one hook for a tile of a grid split over several processes (docs/DISTRIBUTED.md).
 * Everything about the other tiles (transport, ranks, step agreement, faults) lives behind it.
 *
 * <ul>
 *   <li><b>Halos.</b> Before every step, {@link #exchange} trades edge nodes with the neighbouring
 *       tiles and computes the nodes near the halo edges, which the kernel cannot compute (their
 *       neighbours live in another process); after the kernel wrote a chunk of rows, {@link #fix}
 *       puts those values in, before the engine imposes boundaries and heaters and scans the rows.</li>
 *   <li><b>Agreement.</b> Whatever changes the run (a steering command taken from this tile's
 *       segment, a stop this tile wants) is {@link #propose proposed} and carried out only when
 *       {@link #agreed} hands it back: every tile gets it at the same step, with one outcome.</li>
 * </ul>
 * Called only between passes, from the run's plan thread, except {@link #fix} (any worker) and
 * the {@link #carries} of a line-coupled kernel (the one thread stepping its tile, during a pass).
 */
public interface TileLink extends AutoCloseable {
    /** Where this tile lies in the global grid. */
    TilePlacement placement();

    /** The whole grid's boundary (a kernel solving whole lines needs its Dirichlet and periodic edges). */
    Boundary globalBoundary();

    /**
     * The exchange of line carries with the neighbouring tiles during a pass, for a kernel that
     * {@link Kernel#solvesLinesAcrossTiles solves lines across tiles}: waits obey the same rules as
     * {@link #exchange} (a neighbour silent for the timeout is lost; the run ends naming it).
     */
    LineCarries carries();

    /** What a new tile segment records about the run besides the kernel's parameters (its creation parameters). */
    Map<String, String> segmentParams();

    /**
     * The kernel and its setup for this tile (its grid and edges); called before the first step
     * and again whenever steering changes a parameter or dt.
     */
    void prepare(Kernel kernel, KernelSetup tileSetup);

    /**
     * Hands this tile's edge nodes of state {@code step} to its neighbours, waits until every
     * neighbour's nodes of the same state are in, and computes the nodes near the halo edges for
     * step {@code step + 1}. Never returns without them: no step is computed from stale data.
     *
     * @param time   the simulated time of that state
     * @param source the frame of state {@code step}, one view per field
     * @throws IOException when a tile is lost or the run must end; the step is not computed
     */
    void exchange(long step, double time, List<MemorySegment> source) throws IOException;

    /** One round of agreement without nodes, while the run is paused at {@code step}. */
    void idle(long step) throws IOException;

    /** Overwrites the evolving fields' nodes near halo edges in rows {@code y0..y1-1} of {@code targets}. */
    void fix(List<MemorySegment> targets, int y0, int y1);

    /**
     * Sets how this tile judges a command before the tiles agree on it: the outcome it would have
     * at the given step here, without carrying it out. A refusal by any tile refuses it on all.
     */
    void judge(BiFunction<SteeringCommand, Long, CommandOutcome> judge);

    /** A command taken from this tile's segment at state {@code step}. */
    void propose(SteeringCommand command, long step);

    /** A stop this tile wants (a signal, a diverged frame, its own clock); proposed once per reason. */
    void proposeStop(StopReason reason, long step);

    /** What every tile agreed to carry out at the current state, in agreed order; each handed out once. */
    List<Agreed> agreed();

    /**
     * This tile's largest change |du| of the step it just published, for {@code --steady}: every
     * tile offers its own for the same step, and {@link #nextMaxDelta} hands out the largest.
     */
    void offerMaxDelta(long step, double maxDelta);

    /** The largest change over all tiles of the oldest step whose reduction is complete, or null; each once. */
    MaxDelta nextMaxDelta();

    /** The largest change |du| over all tiles of step {@code step}: what one process would have measured. */
    record MaxDelta(long step, double value) {
    }

    /**
     * One decision of the tiles.
     *
     * @param command  the command, or null for a stop
     * @param origin   rank of the tile it came from
     * @param refusal  null if every tile accepted the command; else the first refusal, naming the tile
     * @param stop     the stop's reason, or null for a command
     */
    record Agreed(SteeringCommand command, int origin, CommandOutcome refusal, StopReason stop) {
    }

    @Override
    void close();
}
