package dev.heatgrid.examples.grayscott;

import static dev.heatgrid.examples.grayscott.GrayScottKernel.CELL;
import static dev.heatgrid.examples.grayscott.GrayScottKernel.U;
import static dev.heatgrid.examples.grayscott.GrayScottKernel.V;

import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Subnormals;
import java.lang.foreign.MemorySegment;

/** One forward-Euler step of both species; each node is computed from the source frame only. */
final class GrayScottStepper implements Stepper {
    private final double feed;
    private final double removal;
    private final double dt;
    private final double uX;
    private final double uY;
    private final double vX;
    private final double vY;

    GrayScottStepper(double feed, double kill, double du, double dv, double dt, double dx, double dy) {
        this.feed = feed;
        this.removal = feed + kill;
        this.dt = dt;
        this.uX = du * dt / (dx * dx);
        this.uY = du * dt / (dy * dy);
        this.vX = dv * dt / (dx * dx);
        this.vY = dv * dt / (dy * dy);
    }

    @Override
    public void step(StepFrame frame, int pass, int first, int end) {
        MemorySegment u = frame.source(U);
        MemorySegment v = frame.source(V);
        MemorySegment uOut = frame.target(U);
        MemorySegment vOut = frame.target(V);
        for (int y = first; y < end; y++) {
            int below = frame.rowBelow(y);
            int above = frame.rowAbove(y);
            for (int x = 0; x < frame.nx(); x++) {
                long c = frame.offset(x, y);
                long w = frame.offset(frame.columnWest(x), y);
                long e = frame.offset(frame.columnEast(x), y);
                long s = frame.offset(x, below);
                long n = frame.offset(x, above);
                double uc = u.get(CELL, c);
                double vc = v.get(CELL, c);
                double reaction = uc * vc * vc;
                double uLap = uX * ((u.get(CELL, w) + u.get(CELL, e)) - 2 * uc) + uY * ((u.get(CELL, s) + u.get(CELL, n)) - 2 * uc);
                double vLap = vX * ((v.get(CELL, w) + v.get(CELL, e)) - 2 * vc) + vY * ((v.get(CELL, s) + v.get(CELL, n)) - 2 * vc);
                uOut.set(CELL, c, Subnormals.flush(uc + (uLap + dt * (feed * (1 - uc) - reaction))));
                vOut.set(CELL, c, Subnormals.flush(vc + (vLap + dt * (reaction - removal * vc))));
            }
        }
    }
}
