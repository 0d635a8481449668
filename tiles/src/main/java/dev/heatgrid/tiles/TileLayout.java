package dev.heatgrid.tiles;

import dev.heatgrid.solver.TilePlacement;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Edge;
import dev.heatgrid.solver.spi.EdgeCondition;
import dev.heatgrid.solver.spi.GridGeometry;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A 2-D domain decomposition: the global grid cut into {@code px} columns of tiles and {@code py}
 * rows of tiles. Any size works: the first {@code nx mod px} tile columns are one node wider than
 * the rest (likewise rows), so tiles differ by at most one node per side. Rank {@code r} is the tile
 * at column {@code r mod px}, row {@code r / px}, counted from the south-west corner; the periodic
 * edges of the global boundary wrap across tiles.
 */
record TileLayout(int px, int py, GridGeometry global, Boundary boundary) {
    static final int MAX_TILES = 4096;

    TileLayout {
        if (px < 1 || py < 1 || (long) px * py > MAX_TILES) {
            throw new IllegalArgumentException("tiles " + px + "x" + py + ": allowed 1.." + MAX_TILES + " tiles in all");
        }
        if (px > global.nx() || py > global.ny()) {
            throw new IllegalArgumentException("tiles " + px + "x" + py + " do not fit a " + global.nx() + "x"
                    + global.ny() + " grid: at most one tile per node");
        }
    }

    /** Parses {@code PXxPY} (tile columns x tile rows), e.g. {@code 2x1}; returns {px, py}. */
    static int[] parseTiles(String text) {
        var m = java.util.regex.Pattern.compile("\\s*(\\d{1,4})\\s*[xX]\\s*(\\d{1,4})\\s*").matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("tiles '" + text + "' is not PXxPY (tile columns x tile rows, e.g. 2x1)");
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    int tiles() {
        return px * py;
    }

    int column(int rank) {
        return rank % px;
    }

    int row(int rank) {
        return rank / px;
    }

    /** First global column of tile column {@code i}. */
    int columnStart(int i) {
        return start(global.nx(), px, i);
    }

    /** First global row of tile row {@code j}. */
    int rowStart(int j) {
        return start(global.ny(), py, j);
    }

    private static int start(int n, int parts, int i) {
        return i * (n / parts) + Math.min(i, n % parts);
    }

    /** Where tile {@code rank} lies and which of its edges are halos. */
    TilePlacement placement(int rank) {
        checkRank(rank);
        int i = column(rank);
        int j = row(rank);
        int x0 = columnStart(i);
        int y0 = rowStart(j);
        Boundary edges = new Boundary(edge(rank, Edge.NORTH), edge(rank, Edge.SOUTH), edge(rank, Edge.WEST),
                edge(rank, Edge.EAST));
        return new TilePlacement(x0, y0, columnStart(i + 1) - x0, rowStart(j + 1) - y0, global, edges);
    }

    private EdgeCondition edge(int rank, Edge e) {
        Direction d = switch (e) {
            case WEST -> Direction.WEST;
            case EAST -> Direction.EAST;
            case SOUTH -> Direction.SOUTH;
            case NORTH -> Direction.NORTH;
        };
        return neighbour(rank, d).isPresent() ? EdgeCondition.HALO : boundary.on(e);
    }

    /**
     * The tile across from {@code rank} in direction {@code d}: none at a non-periodic edge of the
     * global grid, nor along an axis with one tile (a periodic wrap there stays inside the tile).
     */
    OptionalInt neighbour(int rank, Direction d) {
        checkRank(rank);
        int i = column(rank) + d.dx;
        int j = row(rank) + d.dy;
        if (d.dx != 0 && (px == 1 || ((i < 0 || i >= px) && !boundary.periodicX()))) {
            return OptionalInt.empty();
        }
        if (d.dy != 0 && (py == 1 || ((j < 0 || j >= py) && !boundary.periodicY()))) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Math.floorMod(j, py) * px + Math.floorMod(i, px));
    }

    /** The distinct tiles {@code rank} trades halos with, in direction order of first appearance. */
    Set<Integer> neighbours(int rank) {
        var set = new LinkedHashSet<Integer>();
        for (Direction d : Direction.values()) {
            neighbour(rank, d).ifPresent(set::add);
        }
        set.remove(rank);
        return set;
    }

    /**
     * The directions in which {@code rank} sees {@code neighbour}, in direction order: the halo
     * blocks a message from {@code neighbour} to {@code rank} carries (two tiles in a periodic row
     * are each other's west and east neighbour at once).
     */
    java.util.List<Direction> directionsTo(int rank, int neighbour) {
        var list = new java.util.ArrayList<Direction>();
        for (Direction d : Direction.values()) {
            if (neighbour(rank, d).orElse(-1) == neighbour) {
                list.add(d);
            }
        }
        return list;
    }

    /**
     * The most halo exchanges news needs to travel from any tile to any other (the diameter of the
     * neighbour graph): what one step's exchange carries reaches every tile after this many steps.
     */
    int diameter() {
        int worst = 0;
        for (int from = 0; from < tiles(); from++) {
            int[] dist = new int[tiles()];
            Arrays.fill(dist, -1);
            dist[from] = 0;
            var queue = new ArrayDeque<Integer>();
            queue.add(from);
            while (!queue.isEmpty()) {
                int t = queue.poll();
                for (int n : neighbours(t)) {
                    if (dist[n] < 0) {
                        dist[n] = dist[t] + 1;
                        worst = Math.max(worst, dist[n]);
                        queue.add(n);
                    }
                }
            }
        }
        return worst;
    }

    private void checkRank(int rank) {
        if (rank < 0 || rank >= tiles()) {
            throw new IllegalArgumentException("rank " + rank + " is outside " + px + "x" + py + " tiles (0.."
                    + (tiles() - 1) + ")");
        }
    }

    @Override
    public String toString() {
        return px + "x" + py;
    }
}
