package dev.heatgrid.solver;

import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Edge;
import dev.heatgrid.solver.spi.EdgeCondition;
import dev.heatgrid.solver.spi.GridGeometry;

/**
 * Where the grid a solver steps lies in the whole (global) grid: its first column and row there, the
 * global size, and the condition on each of its own edges, which is the global boundary on an edge
 * of the global grid and {@link EdgeCondition#HALO} where another tile continues the grid. A solver
 * of the whole grid has origin (0, 0), global size = its own, and the global boundary everywhere.
 *
 * @param global the whole grid (the tile has the same spacing)
 * @param edges  this tile's edge conditions, for the kernel and the engine
 */
public record TilePlacement(int originX, int originY, int nx, int ny, GridGeometry global, Boundary edges) {
    public TilePlacement {
        if (originX < 0 || originY < 0 || nx < 1 || ny < 1 || (long) originX + nx > global.nx()
                || (long) originY + ny > global.ny()) {
            throw new IllegalArgumentException("a " + nx + "x" + ny + " tile at (" + originX + ", " + originY
                    + ") does not fit in the " + global.nx() + "x" + global.ny() + " grid");
        }
    }

    /** The whole grid as one tile. */
    public static TilePlacement whole(GridGeometry grid, Boundary boundary) {
        return new TilePlacement(0, 0, grid.nx(), grid.ny(), grid, boundary);
    }

    /** The grid this tile steps: its own nodes with the global spacing. */
    public GridGeometry grid() {
        return new GridGeometry(nx, ny, global.dx(), global.dy());
    }

    public boolean isWhole() {
        return nx == global.nx() && ny == global.ny();
    }

    /** Whether another tile continues the grid across {@code edge}. */
    public boolean hasHalo(Edge edge) {
        return edges.on(edge).kind() == EdgeCondition.Kind.HALO;
    }

    /** Whether global node (x, y) belongs to this tile. */
    public boolean holds(int x, int y) {
        return x >= originX && x < originX + nx && y >= originY && y < originY + ny;
    }
}
