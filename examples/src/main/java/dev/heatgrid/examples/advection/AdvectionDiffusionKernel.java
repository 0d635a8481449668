package dev.heatgrid.examples.advection;

import dev.heatgrid.solver.spi.FieldSpec;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.ParameterSpec;
import dev.heatgrid.solver.spi.Parameters;
import dev.heatgrid.solver.spi.StabilityRule;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.ValueRange;
import java.util.List;
import java.util.OptionalInt;

/**
 * A concentration carried by a constant wind and spreading: c_t + vx c_x + vy c_y = D lap(c).
 * Advection is first-order upwind (the difference is taken on the side the wind comes from),
 * diffusion the 5-point Laplacian, time forward Euler. The scheme is in flux form, so with
 * periodic edges the total amount is conserved; on a Neumann edge the wind carries matter out
 * (zero gradient) but never in.
 *
 * <p>Explicit upwinding is stable (and keeps c >= 0) only while the centre node keeps a
 * non-negative weight; the stability rule declares exactly that, so the solver refuses a larger
 * {@code --dt} and {@code --dt auto} stays inside it.
 */
public final class AdvectionDiffusionKernel implements Kernel {
    public static final String NAME = "advection-diffusion";
    public static final String VX = "vx";
    public static final String VY = "vy";
    public static final String DIFFUSIVITY = "D";
    /** Speeds are in grid units per unit time; beyond this the time step would be absurdly small. */
    private static final double MAX_SPEED = 1e6;
    private static final double MAX_DIFFUSIVITY = 1e12;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "concentration carried by a constant wind (vx, vy) and diffusing; upwind, conservative";
    }

    @Override
    public List<FieldSpec> fields() {
        return List.of(FieldSpec.evolving("c", "concentration"));
    }

    @Override
    public List<ParameterSpec> parameters() {
        ValueRange speed = ValueRange.closed(-MAX_SPEED, MAX_SPEED);
        return List.of(
                ParameterSpec.real(VX, 1.0, speed, "wind speed towards the east (x), per unit time"),
                ParameterSpec.real(VY, 0.5, speed, "wind speed towards the north (y), per unit time"),
                ParameterSpec.real(DIFFUSIVITY, 0.1, ValueRange.positive(MAX_DIFFUSIVITY), "diffusivity"));
    }

    @Override
    public StabilityRule stability() {
        return StabilityRule.limit("dt*(2*D*(1/dx^2 + 1/dy^2) + |vx|/dx + |vy|/dy) <= 1",
                AdvectionDiffusionKernel::maxStableDt);
    }

    static double maxStableDt(GridGeometry grid, Parameters p) {
        double diffusion = 2 * p.real(DIFFUSIVITY) * (1 / (grid.dx() * grid.dx()) + 1 / (grid.dy() * grid.dy()));
        double advection = Math.abs(p.real(VX)) / grid.dx() + Math.abs(p.real(VY)) / grid.dy();
        return 1 / (diffusion + advection);
    }

    /** The 5-point stencil reads the four nearest neighbours only. */
    @Override
    public OptionalInt stencilRadius() {
        return OptionalInt.of(1);
    }

    @Override
    public Stepper prepare(KernelSetup setup) {
        Parameters p = setup.params();
        double dt = setup.dt();
        double dx = setup.grid().dx();
        double dy = setup.grid().dy();
        double d = p.real(DIFFUSIVITY);
        return new UpwindStepper(d * dt / (dx * dx), d * dt / (dy * dy), p.real(VX) * dt / dx, p.real(VY) * dt / dy);
    }
}
