package dev.heatgrid.solver;

import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.EdgeCondition;
import dev.heatgrid.solver.spi.GridGeometry;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * What the engine imposes on every new frame after the kernel wrote it, chunk by chunk: Dirichlet
 * edge values (on every evolving field), the heater rectangle and steering heat discs (on the first
 * field). West and east columns first, then south and north rows, so rows own the corners. Heater
 * and discs are given in global coordinates; a tile imposes the part that falls inside it, and only
 * the edges of the global grid are Dirichlet (a tile's halo edges are not).
 */
final class FrameOverrides {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final GridGeometry grid;
    private final Boundary boundary;
    private final boolean[] evolving;
    private final int originX;
    private final int originY;
    /** The part of the global heater inside this grid, in its own coordinates. */
    private final Heater heater;

    FrameOverrides(TilePlacement placement, boolean[] evolving, Heater globalHeater) {
        this.grid = placement.grid();
        this.boundary = placement.edges();
        this.evolving = evolving.clone();
        this.originX = placement.originX();
        this.originY = placement.originY();
        this.heater = localPart(globalHeater, placement);
    }

    private static Heater localPart(Heater h, TilePlacement p) {
        if (h.isNone()) {
            return h;
        }
        int x0 = Math.max(h.x0(), p.originX()) - p.originX();
        int y0 = Math.max(h.y0(), p.originY()) - p.originY();
        int x1 = Math.min(h.x1(), p.originX() + p.nx() - 1) - p.originX();
        int y1 = Math.min(h.y1(), p.originY() + p.ny() - 1) - p.originY();
        return x1 < x0 || y1 < y0 ? Heater.NONE : new Heater(x0, y0, x1, y1, h.temperature());
    }

    /** The heater nodes inside this grid, in its coordinates. */
    Heater heater() {
        return heater;
    }

    /** Rows {@code y0..y1-1} of {@code fields}. */
    void apply(List<MemorySegment> fields, int y0, int y1, List<HeatDisc> discs) {
        int nx = grid.nx();
        int ny = grid.ny();
        for (int f = 0; f < fields.size(); f++) {
            if (!evolving[f]) {
                continue;
            }
            MemorySegment field = fields.get(f);
            for (int y = y0; y < y1; y++) {
                long row = grid.rowOffset(y);
                if (boundary.west().isDirichlet()) {
                    field.set(CELL, row, boundary.west().value());
                }
                if (boundary.east().isDirichlet()) {
                    field.set(CELL, row + (long) (nx - 1) * Double.BYTES, boundary.east().value());
                }
                EdgeCondition rowEdge = y == 0 ? boundary.south() : y == ny - 1 ? boundary.north() : null;
                if (rowEdge != null && rowEdge.isDirichlet()) {
                    fill(field, row, nx, rowEdge.value());
                }
            }
        }
        MemorySegment first = fields.get(0);
        Heater h = heater;
        if (!h.isNone()) {
            for (int y = Math.max(y0, h.y0()); y < Math.min(y1, h.y1() + 1); y++) {
                fill(first, grid.rowOffset(y) + (long) h.x0() * Double.BYTES, h.x1() - h.x0() + 1, h.temperature());
            }
        }
        for (HeatDisc disc : discs) {
            // Local row/column ranges, but the disc test in global coordinates: bit for bit the
            // nodes a one-process run heats.
            int ya = Math.max(y0, firstRow(disc));
            int yb = Math.min(y1 - 1, lastRow(disc));
            int xa = Math.max(0, (int) Math.ceil(disc.x() - disc.radius()) - originX);
            int xb = Math.min(nx - 1, (int) Math.floor(disc.x() + disc.radius()) - originX);
            for (int y = ya; y <= yb; y++) {
                for (int x = xa; x <= xb; x++) {
                    if (disc.covers(x + originX, y + originY)) {
                        first.set(CELL, grid.rowOffset(y) + (long) x * Double.BYTES, disc.temperature());
                    }
                }
            }
        }
    }

    /** The first local row a disc (in global coordinates) can cover. */
    private int firstRow(HeatDisc disc) {
        return (int) Math.ceil(disc.y() - disc.radius()) - originY;
    }

    /** The last local row a disc can cover. */
    private int lastRow(HeatDisc disc) {
        return (int) Math.floor(disc.y() + disc.radius()) - originY;
    }

    private static void fill(MemorySegment field, long offset, int count, double value) {
        for (int i = 0; i < count; i++) {
            field.set(CELL, offset + (long) i * Double.BYTES, value);
        }
    }
}
