package dev.heatgrid.solver.kernels;

import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Edge;
import dev.heatgrid.solver.spi.EdgeCondition;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.HeldNodes;
import dev.heatgrid.solver.spi.LineCarries;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Subnormals;
import dev.heatgrid.solver.spi.Sweep;
import dev.heatgrid.solver.spi.TileLines;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The ADI step of {@link AdiKernel} on one tile of a grid split over processes, bit for bit what
 * one process computes for these nodes. Everything is global: the factorisations (of whole lines),
 * which nodes are Dirichlet or held, what lies beyond an edge. What this tile does not hold it gets
 * from its neighbours: the source column beyond a west/east tile edge from the halo traded before the
 * step (the column pass's explicit part), the line recurrences through {@link LineChain}, and u* just
 * beyond a south/north tile edge (the row pass's explicit part) from the column pass's chain.
 *
 * <p>Three passes: columns (right-hand side explicit in x, solve along y into u*), rows (explicit in
 * y, solve along x), rows again (flush subnormals into the target). The solves of a pass run on one
 * thread, over all of the tile's lines, so that its messages pipeline; the last pass is the one the
 * engine interleaves with its fix-ups and scans, chunk by chunk of rows, and it only flushes.
 */
final class TiledAdiStepper implements Stepper {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final double hx;
    private final double hy;
    private final GridGeometry tile;
    private final int originX;
    private final int originY;
    private final int globalNx;
    private final int globalNy;
    private final HeldNodes held;
    private final boolean periodicX;
    private final boolean periodicY;
    private final boolean fixedSouth;
    private final boolean fixedNorth;
    private final boolean fixedWest;
    private final boolean fixedEast;
    /** Whether the tile's west/east edge lies inside the grid, or on a wrap to another tile. */
    private final boolean haloWest;
    private final boolean haloEast;
    private final LineCarries carries;
    /** Per column, per row: the system of that line (with or without the held nodes' identity rows). */
    private final Tridiagonal[] columnSystems;
    private final Tridiagonal[] rowSystems;
    private final LineChain alongY;
    private final LineChain alongX;
    /**
     * u* between the passes, then (in place) the row pass's solution until the last pass flushes it
     * into the target: private to this stepper, never published. A heap array: see {@link LineChain#solve}.
     */
    private final double[] half;
    /** One source row with a node beyond each end (the column pass's explicit part). */
    private final double[] sourceRow;
    /** The row pass's right-hand side of one row, and the u* row below it before it was overwritten. */
    private final double[] rhs;
    private final double[] rowBelow;

    TiledAdiStepper(double hx, double hy, GridGeometry tile, TileLines lines) {
        this.hx = hx;
        this.hy = hy;
        this.tile = tile;
        this.originX = lines.originX();
        this.originY = lines.originY();
        GridGeometry g = lines.global();
        this.globalNx = g.nx();
        this.globalNy = g.ny();
        Boundary b = lines.boundary();
        this.held = lines.held();
        this.periodicX = b.periodicX();
        this.periodicY = b.periodicY();
        this.fixedSouth = b.south().kind() == EdgeCondition.Kind.DIRICHLET;
        this.fixedNorth = b.north().kind() == EdgeCondition.Kind.DIRICHLET;
        this.fixedWest = b.west().kind() == EdgeCondition.Kind.DIRICHLET;
        this.fixedEast = b.east().kind() == EdgeCondition.Kind.DIRICHLET;
        boolean splitX = tile.nx() < globalNx;
        this.haloWest = originX > 0 || (periodicX && splitX);
        this.haloEast = originX + tile.nx() < globalNx || (periodicX && splitX);
        this.carries = lines.carries();
        // The same factorisations as one process (AdiKernel.prepare), of the whole lines.
        Tridiagonal y = Tridiagonal.implicitDiffusion(globalNy, hy, b.south().isDirichlet(), b.north().isDirichlet(),
                periodicY);
        Tridiagonal x = Tridiagonal.implicitDiffusion(globalNx, hx, b.west().isDirichlet(), b.east().isDirichlet(),
                periodicX);
        Tridiagonal yHeld = held.isNone() ? y : Tridiagonal.implicitDiffusion(globalNy, hy, b.south().isDirichlet(),
                b.north().isDirichlet(), periodicY, held.y0(), held.y1());
        Tridiagonal xHeld = held.isNone() ? x : Tridiagonal.implicitDiffusion(globalNx, hx, b.west().isDirichlet(),
                b.east().isDirichlet(), periodicX, held.x0(), held.x1());
        this.columnSystems = new Tridiagonal[tile.nx()];
        for (int c = 0; c < tile.nx(); c++) {
            columnSystems[c] = held.coversColumn(originX + c) ? yHeld : y;
        }
        this.rowSystems = new Tridiagonal[tile.ny()];
        for (int r = 0; r < tile.ny(); r++) {
            rowSystems[r] = held.coversRow(originY + r) ? xHeld : x;
        }
        this.alongY = new LineChain(globalNy, originY, tile.ny(), periodicY, Edge.SOUTH, tile.nx(), carries, 0);
        this.alongX = new LineChain(globalNx, originX, tile.nx(), periodicX, Edge.WEST, tile.ny(), carries, 1);
        this.half = new double[Math.toIntExact(tile.cells())];
        this.sourceRow = new double[tile.nx() + 2];
        this.rhs = new double[tile.nx()];
        this.rowBelow = new double[tile.nx()];
    }

    @Override
    public int passes() {
        return 3;
    }

    @Override
    public Sweep sweep(int pass) {
        return pass == 0 ? Sweep.COLUMNS : Sweep.ROWS;
    }

    @Override
    public void step(StepFrame frame, int pass, int first, int end) {
        switch (pass) {
            case 0 -> {
                wholePass(first, end, tile.nx());
                implicitAlongY(frame);
            }
            case 1 -> {
                wholePass(first, end, tile.ny());
                implicitAlongX(frame);
            }
            default -> flush(frame, first, end);
        }
    }

    /** The solves exchange messages for all of the tile's lines in one order: one thread runs them all. */
    private static void wholePass(int first, int end, int lines) {
        if (first != 0 || end != lines) {
            throw new IllegalStateException("a tile's line solves run on one thread over all " + lines
                    + " lines, not " + first + ".." + (end - 1));
        }
    }

    /** Column pass: the right-hand side explicit in x, row by row, then the solves along y. */
    private void implicitAlongY(StepFrame frame) {
        MemorySegment u = frame.source(0);
        int nx = tile.nx();
        int ny = tile.ny();
        // Row y of the source with the node beyond each end: the halo, the wrapped node, or (at a
        // non-periodic edge of the grid) the end node itself, as columnWest/columnEast give one process.
        double[] row = sourceRow;
        for (int y = 0; y < ny; y++) {
            MemorySegment.copy(u, CELL, frame.offset(0, y), row, 1, nx);
            row[0] = haloWest ? carries.halo(0, -1, y) : row[periodicX ? nx : 1];
            row[nx + 1] = haloEast ? carries.halo(0, nx, y) : row[periodicX ? 1 : nx];
            int gy = originY + y;
            boolean fixedRow = (gy == 0 && fixedSouth) || (gy == globalNy - 1 && fixedNorth);
            boolean heldRow = gy >= held.y0() && gy <= held.y1();
            int base = y * nx;
            for (int x = 0; x < nx; x++) {
                double c = row[x + 1];
                boolean fixed = fixedRow || (heldRow && held.coversColumn(originX + x));
                half[base + x] = fixed ? c : c + hx * ((row[x] + row[x + 2]) - (c + c));
            }
        }
        alongY.solve(half, 1, nx, columnSystems, nx);
    }

    /** Row pass: the right-hand side explicit in y from u*, then the solves along x, both in place in {@link #half}. */
    private void implicitAlongX(StepFrame frame) {
        MemorySegment u = frame.source(0);
        int nx = tile.nx();
        int ny = tile.ny();
        // Below row 0 and above row ny-1: u* of the neighbouring tile (or of the wrapped row), which
        // the column pass's chain computed; at a non-periodic edge of the grid the row itself.
        double[] below = originY > 0 || periodicY ? alongY.below : null;
        double[] above = originY + ny < globalNy || periodicY ? alongY.above : null;
        for (int y = 0; y < ny; y++) {
            long rowAt = frame.offset(0, y); // only fixed nodes read the source here: no copy of the row
            boolean heldRow = held.coversRow(originY + y);
            int base = y * nx;
            for (int x = 0; x < nx; x++) {
                int gx = originX + x;
                double c = half[base + x];
                boolean fixed = (gx == 0 && fixedWest) || (gx == globalNx - 1 && fixedEast)
                        || (heldRow && gx >= held.x0() && gx <= held.x1());
                double s = y > 0 ? rowBelow[x] : below != null ? below[x] : c;
                double n = y < ny - 1 ? half[base + x + nx] : above != null ? above[x] : c;
                rhs[x] = fixed ? u.get(CELL, rowAt + (long) x * Double.BYTES) : c + hy * ((s + n) - (c + c));
            }
            System.arraycopy(half, base, rowBelow, 0, nx); // row y + 1 still needs u* of this row
            System.arraycopy(rhs, 0, half, base, nx);
        }
        alongX.solve(half, nx, 1, rowSystems, ny);
    }

    /** What one process does as it stores each solved row: flushes it into the target. */
    private void flush(StepFrame frame, int first, int end) {
        MemorySegment out = frame.target(0);
        int nx = tile.nx();
        for (int i = first * nx; i < end * nx; i++) {
            half[i] = Subnormals.flush(half[i]);
        }
        MemorySegment.copy(half, first * nx, out, CELL, frame.offset(0, first), (end - first) * nx);
    }
}
