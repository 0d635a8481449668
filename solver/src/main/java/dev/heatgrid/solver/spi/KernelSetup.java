package dev.heatgrid.solver.spi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * Everything a kernel may precompute from when the engine {@link Kernel#prepare prepares} it: the
 * grid, the boundary, the parameter values and the time step. These stay fixed for the life of the
 * {@link Stepper}; when steering changes a parameter or dt, the engine prepares a new one.
 */
public final class KernelSetup {
    private final GridGeometry grid;
    private final Boundary boundary;
    private final Parameters params;
    private final double dt;
    private final Arena arena;
    private final HeldNodes held;
    private final TileLines lines;

    /**
     * @param arena where {@link #allocate} takes scratch memory from; the engine closes it when it
     *              drops the stepper. Must be usable from every worker thread (shared or global).
     */
    public KernelSetup(GridGeometry grid, Boundary boundary, Parameters params, double dt, Arena arena) {
        this(grid, boundary, params, dt, HeldNodes.NONE, arena);
    }

    /** @param held nodes the engine holds at a fixed value (the heater), see {@link HeldNodes} */
    public KernelSetup(GridGeometry grid, Boundary boundary, Parameters params, double dt, HeldNodes held, Arena arena) {
        this(grid, boundary, params, dt, held, null, arena);
    }

    /**
     * @param lines for a kernel that {@link Kernel#solvesLinesAcrossTiles solves lines across tiles}
     *              and steps one tile: where the tile lies and how its lines go on; null for the whole grid
     */
    public KernelSetup(GridGeometry grid, Boundary boundary, Parameters params, double dt, HeldNodes held,
                       TileLines lines, Arena arena) {
        this.lines = lines;
        this.held = held;
        this.grid = grid;
        this.boundary = boundary;
        this.params = params;
        this.dt = dt;
        this.arena = arena;
    }

    public GridGeometry grid() {
        return grid;
    }

    public Boundary boundary() {
        return boundary;
    }

    public Parameters params() {
        return params;
    }

    public double dt() {
        return dt;
    }

    /** Interior nodes held at a fixed value; implicit kernels must keep them fixed inside their solves. */
    public HeldNodes heldNodes() {
        return held;
    }

    /**
     * The tile this setup steps, for a kernel that {@link Kernel#solvesLinesAcrossTiles solves lines
     * across tiles}; empty when it steps the whole grid (or declares a stencil radius instead).
     */
    public Optional<TileLines> tileLines() {
        return Optional.ofNullable(lines);
    }

    /**
     * Zeroed off-heap scratch memory of {@code cells} float64 values, page-aligned, freed when the
     * stepper is dropped. Use it instead of per-step heap arrays.
     */
    public MemorySegment allocate(long cells) {
        return arena.allocate(cells * Double.BYTES, 4096);
    }
}
