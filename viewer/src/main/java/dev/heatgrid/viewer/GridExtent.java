package dev.heatgrid.viewer;

import dev.heatgrid.segment.SegmentSpec;

/**
 * Where a segment's cells lie in physical units: cell (x, y) covers
 * {@code [x0 + x*dx, x0 + (x+1)*dx] x [y0 + y*dy, y0 + (y+1)*dy]}, with the origin taken from the
 * segment's tile so tiles of one global grid line up.
 */
public record GridExtent(double x0, double y0, double dx, double dy, int nx, int ny) {
    public static GridExtent of(SegmentSpec spec) {
        return new GridExtent(spec.tile().originX() * spec.dx(), spec.tile().originY() * spec.dy(), spec.dx(),
                spec.dy(), spec.nx(), spec.ny());
    }

    public double width() {
        return nx * dx;
    }

    public double height() {
        return ny * dy;
    }

    /** Physical x of the centre of cell column {@code x}. */
    public double centreX(int x) {
        return x0 + (x + 0.5) * dx;
    }

    /** Physical y of the centre of cell row {@code y}. */
    public double centreY(int y) {
        return y0 + (y + 0.5) * dy;
    }
}
