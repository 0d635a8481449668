package dev.heatgrid.examples.advection;

import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Subnormals;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * c' = c + diffusion - courantX * (upwind difference in x) - courantY * (upwind difference in y).
 *
 * @param diffusionX D dt / dx^2
 * @param diffusionY D dt / dy^2
 * @param courantX   vx dt / dx (signed)
 * @param courantY   vy dt / dy (signed)
 */
record UpwindStepper(double diffusionX, double diffusionY, double courantX, double courantY) implements Stepper {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE;

    @Override
    public void step(StepFrame frame, int pass, int first, int end) {
        MemorySegment c = frame.source(0);
        MemorySegment out = frame.target(0);
        boolean windFromWest = courantX >= 0;
        boolean windFromSouth = courantY >= 0;
        for (int y = first; y < end; y++) {
            int below = frame.rowBelow(y);
            int above = frame.rowAbove(y);
            for (int x = 0; x < frame.nx(); x++) {
                double cc = c.get(CELL, frame.offset(x, y));
                double cw = c.get(CELL, frame.offset(frame.columnWest(x), y));
                double ce = c.get(CELL, frame.offset(frame.columnEast(x), y));
                double cs = c.get(CELL, frame.offset(x, below));
                double cn = c.get(CELL, frame.offset(x, above));
                double upwindX = windFromWest ? cc - cw : ce - cc;
                double upwindY = windFromSouth ? cc - cs : cn - cc;
                double diffusion = diffusionX * ((cw + ce) - 2 * cc) + diffusionY * ((cs + cn) - 2 * cc);
                out.set(CELL, frame.offset(x, y),
                        Subnormals.flush(cc + (diffusion - (courantX * upwindX + courantY * upwindY))));
            }
        }
    }
}
