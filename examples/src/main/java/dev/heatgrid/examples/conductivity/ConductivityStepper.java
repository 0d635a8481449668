package dev.heatgrid.examples.conductivity;

import static dev.heatgrid.examples.conductivity.VariableConductivityKernel.CELL;
import static dev.heatgrid.examples.conductivity.VariableConductivityKernel.K;
import static dev.heatgrid.examples.conductivity.VariableConductivityKernel.T;

import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Subnormals;
import java.lang.foreign.MemorySegment;

/**
 * T' = T + rx (F_east - F_west) + ry (F_north - F_south), each F the flux through one face. The
 * flux through a face is computed the same way from both sides (same operands, same order), so
 * what one node loses its neighbour gains, to the last bit of each flux.
 */
record ConductivityStepper(double rx, double ry) implements Stepper {
    @Override
    public void step(StepFrame frame, int pass, int first, int end) {
        MemorySegment t = frame.source(T);
        MemorySegment k = frame.source(K);
        MemorySegment out = frame.target(T);
        for (int y = first; y < end; y++) {
            int below = frame.rowBelow(y);
            int above = frame.rowAbove(y);
            for (int x = 0; x < frame.nx(); x++) {
                long c = frame.offset(x, y);
                long w = frame.offset(frame.columnWest(x), y);
                long e = frame.offset(frame.columnEast(x), y);
                long s = frame.offset(x, below);
                long n = frame.offset(x, above);
                double tc = t.get(CELL, c);
                double kc = k.get(CELL, c);
                double east = flux(kc, k.get(CELL, e), tc, t.get(CELL, e));
                double west = flux(k.get(CELL, w), kc, t.get(CELL, w), tc);
                double north = flux(kc, k.get(CELL, n), tc, t.get(CELL, n));
                double south = flux(k.get(CELL, s), kc, t.get(CELL, s), tc);
                out.set(CELL, c, Subnormals.flush(tc + (rx * (east - west) + ry * (north - south))));
            }
        }
    }

    /**
     * k (T_b - T_a) across the face between node a and its east or north neighbour b, with the
     * harmonic mean of their conductivities (the face is half of each material, in series).
     */
    private static double flux(double ka, double kb, double ta, double tb) {
        return 2 * ka * kb / (ka + kb) * (tb - ta);
    }
}
