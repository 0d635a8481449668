package dev.heatgrid.viewer;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Test frames: a cold background with one Gaussian hot spot, and where a spot is at a given step. */
final class HotSpot {
    static final double BACKGROUND = 20.0;
    static final double PEAK = 100.0;

    private HotSpot() {
    }

    /** Fills a field with a spot centred on cell (cx, cy); that cell holds exactly {@link #PEAK}. */
    static void fill(MemorySegment field, int nx, int ny, int cx, int cy, double radius) {
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                double r2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (radius * radius);
                field.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) y * nx + x, BACKGROUND + (PEAK - BACKGROUND) * Math.exp(-r2));
            }
        }
    }

    /** Fills a field with x / (nx - 1): 0 at the west edge, 1 at the east edge, the same in every row. */
    static void fillGradient(MemorySegment field, int nx, int ny) {
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                field.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) y * nx + x, x / (double) (nx - 1));
            }
        }
    }

    /** The spot's cell at frame {@code k} of a run: it circles the grid's centre. */
    static int[] centreAt(long k, int nx, int ny) {
        double angle = k * 0.2;
        return new int[] {(int) (nx / 2 + nx / 4 * Math.cos(angle)), (int) (ny / 2 + ny / 4 * Math.sin(angle))};
    }
}
