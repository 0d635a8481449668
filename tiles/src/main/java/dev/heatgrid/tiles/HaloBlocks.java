package dev.heatgrid.tiles;

import dev.heatgrid.solver.TilePlacement;
import dev.heatgrid.solver.spi.Edge;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The neighbours' nodes around one tile, r deep, and this tile's own nodes as a neighbour needs
 * them. A halo block of direction d holds the nodes just outside the tile in that direction, row
 * by row from the south, west to east: r columns by ny rows for WEST and EAST, nx by r for SOUTH
 * and NORTH, r by r for the corners. The blocks a neighbour sends are its own nodes facing this
 * tile, in the same order ({@link #pack}), so a message is copied into a block without reordering.
 *
 * <p>{@link #at} reads the tile extended by r nodes on every side where the grid continues:
 * inside it the tile's source, outside a neighbour's block, or the tile itself across an axis it
 * spans alone and that wraps (periodic with one tile).
 */
final class HaloBlocks {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int nx;
    private final int ny;
    private final int r;
    private final int fields;
    private final boolean wrapX;
    private final boolean wrapY;
    /** blocks.get(d)[f]: present only for directions with a neighbour. */
    private final Map<Direction, double[][]> blocks = new EnumMap<>(Direction.class);

    HaloBlocks(TileLayout layout, int rank, int radius, int fields) {
        TilePlacement p = layout.placement(rank);
        this.nx = p.nx();
        this.ny = p.ny();
        this.r = radius;
        this.fields = fields;
        this.wrapX = layout.px() == 1 && layout.boundary().periodicX();
        this.wrapY = layout.py() == 1 && layout.boundary().periodicY();
        for (Direction d : Direction.values()) {
            if (layout.neighbour(rank, d).isPresent()) {
                double[][] perField = new double[fields][blockWidth(d) * blockHeight(d)];
                blocks.put(d, perField);
            }
        }
    }

    int radius() {
        return r;
    }

    int blockWidth(Direction d) {
        return d.dx == 0 ? nx : r;
    }

    int blockHeight(Direction d) {
        return d.dy == 0 ? ny : r;
    }

    boolean has(Direction d) {
        return blocks.containsKey(d);
    }

    /** Doubles of the blocks of {@code directions}, all fields. */
    int size(List<Direction> directions) {
        int n = 0;
        for (Direction d : directions) {
            n += blockWidth(d) * blockHeight(d) * fields;
        }
        return n;
    }

    /** Whether the grid continues beyond {@code edge}: a neighbour's halo, or a wrap inside the tile. */
    boolean continues(Edge edge) {
        return switch (edge) {
            case WEST -> wrapX || has(Direction.WEST);
            case EAST -> wrapX || has(Direction.EAST);
            case SOUTH -> wrapY || has(Direction.SOUTH);
            case NORTH -> wrapY || has(Direction.NORTH);
        };
    }

    /** Node (x, y) of field f of the extended tile, -r <= x < nx + r, -r <= y < ny + r. */
    double at(List<MemorySegment> source, int f, int x, int y) {
        if (wrapX) {
            x = Math.floorMod(x, nx);
        }
        if (wrapY) {
            y = Math.floorMod(y, ny);
        }
        int dx = x < 0 ? -1 : x >= nx ? 1 : 0;
        int dy = y < 0 ? -1 : y >= ny ? 1 : 0;
        if (dx == 0 && dy == 0) {
            return source.get(f).getAtIndex(CELL, (long) y * nx + x);
        }
        Direction d = Direction.of(dx, dy);
        double[][] block = blocks.get(d);
        if (block == null) {
            throw new IllegalStateException("no " + d + " neighbour for node (" + x + ", " + y + ")");
        }
        int bx = dx < 0 ? x + r : dx > 0 ? x - nx : x;
        int by = dy < 0 ? y + r : dy > 0 ? y - ny : y;
        return block[f][by * blockWidth(d) + bx];
    }

    /**
     * Appends to {@code out} (from index {@code at}) the nodes of this tile that a neighbour keeps
     * as its halo block {@code receiverDirection}, i.e. where this tile lies as seen from the
     * neighbour (its WEST block is this tile's east slab). Returns the index after the last value.
     */
    int pack(List<MemorySegment> source, Direction receiverDirection, double[] out, int at) {
        Direction d = receiverDirection;
        int x0 = d.dx < 0 ? nx - r : 0;
        int x1 = d.dx > 0 ? r : nx;
        int y0 = d.dy < 0 ? ny - r : 0;
        int y1 = d.dy > 0 ? r : ny;
        for (int f = 0; f < fields; f++) {
            MemorySegment field = source.get(f);
            for (int y = y0; y < y1; y++) {
                long row = (long) y * nx;
                for (int x = x0; x < x1; x++) {
                    out[at++] = field.getAtIndex(CELL, row + x);
                }
            }
        }
        return at;
    }

    /** Copies block {@code d} (all fields) from {@code in} starting at {@code at}; returns the index after it. */
    int unpack(Direction d, double[] in, int at) {
        for (double[] block : blocks.get(d)) {
            System.arraycopy(in, at, block, 0, block.length);
            at += block.length;
        }
        return at;
    }
}
