package dev.heatgrid.solver;

import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.Kernel;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The step loop's one hook for a tile of a larger grid (docs/DISTRIBUTED.md): before every step it
 * trades edge nodes with the neighbouring tiles, and after the kernel wrote a chunk of rows it
 * overwrites the nodes near the tile's halo edges (which the kernel could not compute: their
 * neighbours live in another process) with values computed from the neighbours' nodes. The engine
 * calls {@link #fix} before it imposes boundaries and heaters and before it scans the rows, so
 * statistics and checksums see only final values.
 */
public interface TileEdges extends AutoCloseable {
    /**
     * The kernel and its setup for this tile (its grid and edges); called before the first step and
     * again whenever steering changes a parameter or dt, between steps.
     */
    void prepare(Kernel kernel, KernelSetup tileSetup);

    /**
     * Between steps: hands this tile's edge nodes of state {@code step} to its neighbours, waits
     * until every neighbour's nodes of the same state are in, and computes the nodes near the halo
     * edges for step {@code step + 1}. Never returns without all of them: a tile must not compute
     * a step from stale neighbour data.
     *
     * @param source the frame of state {@code step}, one view per field
     * @throws IOException when a neighbour is lost or refuses the run; the step is not computed
     */
    void exchange(long step, List<MemorySegment> source) throws IOException;

    /** Overwrites the evolving fields' nodes near halo edges in rows {@code y0..y1-1} of {@code targets}. */
    void fix(List<MemorySegment> targets, int y0, int y1);

    @Override
    void close();
}
