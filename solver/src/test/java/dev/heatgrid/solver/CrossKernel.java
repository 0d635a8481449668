package dev.heatgrid.solver;

import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.ParameterSpec;
import dev.heatgrid.solver.spi.StabilityRule;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Subnormals;
import dev.heatgrid.solver.spi.ValueRange;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.OptionalInt;

/**
 * A plug-in kernel as a user would write one, for tests of temporal blocking: a 9-point stencil
 * (radius 1, diagonals included) or the fourth-order 9-point cross (radius 2, two nodes each way),
 * with or without declaring its radius, so that the blocked and the plain path run the very same
 * arithmetic. Neighbours come only through StepFrame's edge mapping.
 */
final class CrossKernel implements Kernel {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    private final int radius;
    private final boolean declared;

    CrossKernel(int radius, boolean declared) {
        this.radius = radius;
        this.declared = declared;
    }

    @Override
    public String name() {
        return "cross" + radius + (declared ? "" : "-plain");
    }

    @Override
    public String description() {
        return "test stencil of radius " + radius;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(ParameterSpec.real("alpha", 1.0, ValueRange.positive(10), "diffusivity"));
    }

    @Override
    public StabilityRule stability() {
        return StabilityRule.limit("alpha*dt <= 0.1", (grid, params) -> 0.1 / params.real("alpha"));
    }

    @Override
    public OptionalInt stencilRadius() {
        return declared ? OptionalInt.of(radius) : OptionalInt.empty();
    }

    @Override
    public Stepper prepare(KernelSetup setup) {
        double r = setup.params().real("alpha") * setup.dt();
        return new Stepper() {
            @Override
            public void step(StepFrame frame, int pass, int first, int end) {
                MemorySegment src = frame.source(0);
                MemorySegment dst = frame.target(0);
                for (int y = first; y < end; y++) {
                    int s = frame.rowBelow(y);
                    int n = frame.rowAbove(y);
                    for (int x = 0; x < frame.nx(); x++) {
                        int w = frame.columnWest(x);
                        int e = frame.columnEast(x);
                        double c = src.get(CELL, frame.offset(x, y));
                        double v;
                        if (radius == 1) {
                            double sides = src.get(CELL, frame.offset(x, s)) + src.get(CELL, frame.offset(x, n))
                                    + src.get(CELL, frame.offset(w, y)) + src.get(CELL, frame.offset(e, y));
                            double corners = src.get(CELL, frame.offset(w, s)) + src.get(CELL, frame.offset(e, s))
                                    + src.get(CELL, frame.offset(w, n)) + src.get(CELL, frame.offset(e, n));
                            v = c + r * (4 * sides + corners - 20 * c) / 6;
                        } else {
                            double near = src.get(CELL, frame.offset(x, s)) + src.get(CELL, frame.offset(x, n))
                                    + src.get(CELL, frame.offset(w, y)) + src.get(CELL, frame.offset(e, y));
                            double far = src.get(CELL, frame.offset(x, frame.rowBelow(s)))
                                    + src.get(CELL, frame.offset(x, frame.rowAbove(n)))
                                    + src.get(CELL, frame.offset(frame.columnWest(w), y))
                                    + src.get(CELL, frame.offset(frame.columnEast(e), y));
                            v = c + r * (16 * near - far - 60 * c) / 12;
                        }
                        dst.set(CELL, frame.offset(x, y), Subnormals.flush(v));
                    }
                }
            }
        };
    }
}
