package dev.heatgrid.solver.spi;

import java.util.function.ToDoubleBiFunction;

/**
 * The largest time step a kernel stays stable with, so that the solver can refuse an unstable
 * {@code --dt} (with this rule and the limit in the message) and pick a safe one for {@code --dt auto}.
 */
public interface StabilityRule {
    /** The rule as users read it, e.g. {@code alpha*dt*(1/dx^2 + 1/dy^2) <= 1/2}. */
    String description();

    /** The largest stable dt for this grid and these parameters; infinite if every dt is stable. */
    double maxStableDt(GridGeometry grid, Parameters params);

    /** What {@code --dt auto} picks: by default 80% of the limit, comfortably inside it. */
    default double autoDt(GridGeometry grid, Parameters params) {
        double max = maxStableDt(grid, params);
        if (Double.isInfinite(max)) {
            throw new IllegalStateException("an unconditionally stable kernel must choose its own auto dt");
        }
        return 0.8 * max;
    }

    /** A conditional rule: {@code limit} gives the largest stable dt. */
    static StabilityRule limit(String description, ToDoubleBiFunction<GridGeometry, Parameters> limit) {
        return new StabilityRule() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public double maxStableDt(GridGeometry grid, Parameters params) {
                return limit.applyAsDouble(grid, params);
            }
        };
    }

    /** Stable for every dt; {@code autoDt} picks the step {@code --dt auto} uses (for accuracy). */
    static StabilityRule unconditional(String description, ToDoubleBiFunction<GridGeometry, Parameters> autoDt) {
        return new StabilityRule() {
            @Override
            public String description() {
                return description;
            }

            @Override
            public double maxStableDt(GridGeometry grid, Parameters params) {
                return Double.POSITIVE_INFINITY;
            }

            @Override
            public double autoDt(GridGeometry grid, Parameters params) {
                return autoDt.applyAsDouble(grid, params);
            }
        };
    }
}
