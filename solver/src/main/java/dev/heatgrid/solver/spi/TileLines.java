package dev.heatgrid.solver.spi;

/**
 * Where a tile lies in the whole grid, as a kernel that solves along whole lines needs it (see
 * {@link Kernel#solvesLinesAcrossTiles}): its coefficients are those of the global line (a Thomas
 * factorisation is itself a recurrence from the line's first node), its Dirichlet and held nodes are
 * where the global grid has them, and its lines go on in the neighbouring tiles, reached through
 * {@link #carries}.
 *
 * @param originX  the tile's first global column
 * @param originY  the tile's first global row
 * @param global   the whole grid
 * @param boundary the whole grid's boundary (no halo edges: a tile edge inside the grid is none of its business)
 * @param held     the held nodes in global coordinates (possibly outside this tile)
 * @param carries  the exchange with the tiles that continue this tile's lines
 */
public record TileLines(int originX, int originY, GridGeometry global, Boundary boundary, HeldNodes held,
                        LineCarries carries) {
}
