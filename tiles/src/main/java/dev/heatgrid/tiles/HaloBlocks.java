package dev.heatgrid.tiles;

import dev.heatgrid.solver.TilePlacement;
import dev.heatgrid.solver.spi.Edge;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The neighbours' nodes around one tile, r deep, and this tile's own nodes as a neighbour needs
 * them. A halo block of direction d holds the nodes just outside the tile in that direction, row
 * by row from the south, west to east: r columns by ny rows for WEST and EAST, nx by r for SOUTH
 * and NORTH, r by r for the corners. The blocks a neighbour sends are its own nodes facing this
 * tile, in the same order ({@link #pack}), so a message is copied into a block without reordering.
 *
 * <p>{@link #row} reads the tile extended by r nodes on every side where the grid continues
 * (-r <= x < nx + r, -r <= y < ny + r): inside it the tile's source, outside a neighbour's block, or
 * the tile itself across an axis it spans alone and that wraps (periodic with one tile).
 */
final class HaloBlocks {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final int nx;
    private final int ny;
    private final int r;
    private final int fields;
    private final boolean wrapX;
    private final boolean wrapY;
    /** blocks.get(d)[f]: present only for directions with a neighbour. */
    private final Map<Direction, double[][]> blocks = new EnumMap<>(Direction.class);
    /** The same blocks by (dx + 1) + 3 (dy + 1), for {@link #row}, which runs for every strip row. */
    private final double[][][] byOffset = new double[9][][];

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
                byOffset[(d.dx + 1) + 3 * (d.dy + 1)] = perField;
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

    /**
     * Field {@code f} of node (x, y) just outside this tile (tile coordinates, up to r beyond an edge
     * with a neighbour), from that neighbour's block: what a line-coupled kernel reads beyond its edge.
     */
    double node(int f, int x, int y) {
        int dx = x < 0 ? -1 : x >= nx ? 1 : 0;
        int dy = y < 0 ? -1 : y >= ny ? 1 : 0;
        double[][] block = byOffset[(dx + 1) + 3 * (dy + 1)];
        if (block == null || (dx == 0 && dy == 0)) {
            throw new IllegalStateException("no " + (dx == 0 && dy == 0 ? "halo" : Direction.of(dx, dy) + " neighbour")
                    + " for node (" + x + ", " + y + ")");
        }
        int bx = dx < 0 ? x + r : dx > 0 ? x - nx : x;
        int by = dy < 0 ? y + r : dy > 0 ? y - ny : y;
        return block[f][by * (dx == 0 ? nx : r) + bx];
    }

    /**
     * Copies nodes {@code x0..x1-1} of row {@code y} of field {@code f} of the extended tile into {@code into} from index {@code at}: the part inside the tile as one copy,
     * the halo part node by node. A strip's fill, row by row.
     */
    void row(List<MemorySegment> source, int f, int y, int x0, int x1, MemorySegment into, long at) {
        if (wrapY) {
            y = Math.floorMod(y, ny);
        }
        int dy = y < 0 ? -1 : y >= ny ? 1 : 0;
        int by = dy < 0 ? y + r : dy > 0 ? y - ny : y;
        MemorySegment field = source.get(f);
        int x = x0;
        while (x < x1) {
            int xx = wrapX ? Math.floorMod(x, nx) : x;
            int dx = xx < 0 ? -1 : xx >= nx ? 1 : 0;
            if (dx == 0 && dy == 0) {
                int run = Math.min(x1 - x, nx - xx);
                // Both are little-endian doubles: a byte copy keeps every bit.
                MemorySegment.copy(field, ((long) y * nx + xx) * Double.BYTES, into, (at + x - x0) * Double.BYTES,
                        (long) run * Double.BYTES);
                x += run;
                continue;
            }
            double[][] block = byOffset[(dx + 1) + 3 * (dy + 1)];
            if (block == null) {
                throw new IllegalStateException("no " + Direction.of(dx, dy) + " neighbour for node (" + xx + ", " + y + ")");
            }
            int bx = dx < 0 ? xx + r : dx > 0 ? xx - nx : xx;
            into.setAtIndex(CELL, at + x - x0, block[f][by * (dx == 0 ? nx : r) + bx]);
            x++;
        }
    }

    /**
     * Writes into {@code out} (from byte {@code at}) the nodes of this tile that a neighbour keeps
     * as its halo block {@code receiverDirection}, i.e. where this tile lies as seen from the
     * neighbour (its WEST block is this tile's east slab). Returns the byte after the last value.
     */
    int pack(List<MemorySegment> source, Direction receiverDirection, MutableDirectBuffer out, int at) {
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
                    out.putDouble(at, field.getAtIndex(CELL, row + x), LE);
                    at += Double.BYTES;
                }
            }
        }
        return at;
    }

    /** Copies block {@code d} (all fields) from {@code in} starting at byte {@code at}; returns the byte after it. */
    int unpack(Direction d, DirectBuffer in, int at) {
        for (double[] block : blocks.get(d)) {
            for (int i = 0; i < block.length; i++) {
                block[i] = in.getDouble(at, LE);
                at += Double.BYTES;
            }
        }
        return at;
    }
}
