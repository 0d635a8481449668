package dev.heatgrid.solver.spi;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * One step as a kernel sees it: the frame it steps from (read-only), the frame it writes, and how
 * neighbours map across the edges. Each field is {@code nx * ny} little-endian float64 values,
 * row-major, node (x, y) at byte {@code (y * nx + x) * 8}.
 *
 * <p>A stencil reads the neighbours of node (x, y) at rows {@link #rowBelow}(y) and
 * {@link #rowAbove}(y) and columns {@link #columnWest}(x) and {@link #columnEast}(x). Inside the
 * grid these are the adjacent rows and columns; on an edge they are what the boundary condition
 * says: the edge node itself (Neumann: zero flux), the opposite edge (periodic), or the edge node
 * itself for Dirichlet edges, whose nodes the engine overwrites after the step anyway, and for the
 * halo edges of a tile, whose nearby nodes the engine recomputes from the neighbouring tile's nodes
 * (see {@link Kernel#stencilRadius}). So a kernel that reads neighbours only through these four
 * methods gets every boundary right for free.
 *
 * <p>The source is the newest published frame (or the engine's private scratch frame between two
 * publications); the target is never the same memory. Sources and targets stay valid for one
 * step only.
 */
public final class StepFrame {
    private final GridGeometry grid;
    private final MemorySegment[] sources;
    private final MemorySegment[] targets;
    private final long step;
    private final double time;
    private final int southGhostRow;
    private final int northGhostRow;
    private final int westGhostColumn;
    private final int eastGhostColumn;

    /**
     * @param sources one read-only view per field of the frame stepped from
     * @param targets one writable view per field of the frame written
     * @param step    the step number of the source frame (the target becomes step + 1)
     * @param time    the simulated time of the source frame
     */
    public StepFrame(GridGeometry grid, Boundary boundary, List<MemorySegment> sources, List<MemorySegment> targets,
                     long step, double time) {
        if (sources.size() != targets.size()) {
            throw new IllegalArgumentException(sources.size() + " source fields but " + targets.size() + " targets");
        }
        long bytes = grid.cells() * Double.BYTES;
        for (int f = 0; f < sources.size(); f++) {
            if (sources.get(f).byteSize() < bytes || targets.get(f).byteSize() < bytes) {
                throw new IllegalArgumentException("field " + f + " is smaller than a " + grid.nx() + "x" + grid.ny()
                        + " grid");
            }
        }
        this.grid = grid;
        this.sources = sources.toArray(MemorySegment[]::new);
        this.targets = targets.toArray(MemorySegment[]::new);
        this.step = step;
        this.time = time;
        this.southGhostRow = boundary.periodicY() ? grid.ny() - 1 : 0;
        this.northGhostRow = boundary.periodicY() ? 0 : grid.ny() - 1;
        this.westGhostColumn = boundary.periodicX() ? grid.nx() - 1 : 0;
        this.eastGhostColumn = boundary.periodicX() ? 0 : grid.nx() - 1;
    }

    public GridGeometry grid() {
        return grid;
    }

    public int nx() {
        return grid.nx();
    }

    public int ny() {
        return grid.ny();
    }

    /** Number of fields (the kernel's {@link Kernel#fields()}). */
    public int fieldCount() {
        return sources.length;
    }

    /** Read-only view of field {@code f} of the frame stepped from. */
    public MemorySegment source(int f) {
        return sources[f];
    }

    /** Writable view of field {@code f} of the frame being computed. */
    public MemorySegment target(int f) {
        return targets[f];
    }

    /** Step number of the source frame. */
    public long step() {
        return step;
    }

    /** Simulated time of the source frame. */
    public double time() {
        return time;
    }

    /** The row whose nodes are the southern neighbours of row {@code y}. */
    public int rowBelow(int y) {
        return y > 0 ? y - 1 : southGhostRow;
    }

    /** The row whose nodes are the northern neighbours of row {@code y}. */
    public int rowAbove(int y) {
        return y < grid.ny() - 1 ? y + 1 : northGhostRow;
    }

    /** The column whose nodes are the western neighbours of column {@code x}. */
    public int columnWest(int x) {
        return x > 0 ? x - 1 : westGhostColumn;
    }

    /** The column whose nodes are the eastern neighbours of column {@code x}. */
    public int columnEast(int x) {
        return x < grid.nx() - 1 ? x + 1 : eastGhostColumn;
    }

    /** Byte offset of node (x, y) in a field. */
    public long offset(int x, int y) {
        return ((long) y * grid.nx() + x) * Double.BYTES;
    }
}
