package dev.heatgrid.examples.grayscott;

import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Edge;
import dev.heatgrid.solver.spi.FieldSpec;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.ParameterSpec;
import dev.heatgrid.solver.spi.Parameters;
import dev.heatgrid.solver.spi.StabilityRule;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.ValueRange;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.OptionalInt;

/**
 * Gray-Scott reaction-diffusion: a species {@code v} feeds on {@code u} (u + 2v -> 3v), u is fed in
 * at rate F, v is removed at rate F + k, and both diffuse:
 * <pre>
 *   u_t = Du lap(u) - u v^2 + F (1 - u)
 *   v_t = Dv lap(v) + u v^2 - (F + k) v
 * </pre>
 * stepped with forward Euler and the 5-point Laplacian. The uniform state u = 1, v = 0 is stable;
 * a seed of v grows spots, stripes or labyrinths depending on F and k.
 *
 * <p>The user's initial condition ({@code --init}, which sets the first field) is read as a seed
 * strength s in [0, 1]: u = 1 - s/2, v = s/4, so the default hot spot seeds a disc with the classic
 * u = 1/2, v = 1/4 and {@code --init hotspot:0} leaves the uniform state.
 */
public final class GrayScottKernel implements Kernel {
    public static final String NAME = "gray-scott";
    public static final String FEED = "feed";
    public static final String KILL = "kill";
    public static final String DU = "Du";
    public static final String DV = "Dv";
    static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE;
    static final int U = 0;
    static final int V = 1;
    /** Where the seed strength s puts the species: u = 1 - s * U_PER_SEED, v = s * V_PER_SEED (Pearson's seed at s = 1). */
    private static final double U_PER_SEED = 0.5;
    private static final double V_PER_SEED = 0.25;
    /** Rates are per unit time and the species are concentrations in [0, 1]: larger values only blow up. */
    private static final double MAX_RATE = 0.1;
    private static final double MAX_DIFFUSIVITY = 1;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Gray-Scott reaction-diffusion (fields u, v): spots and stripes from feed and kill rates";
    }

    @Override
    public List<FieldSpec> fields() {
        return List.of(new FieldSpec("u", "substrate concentration, 0..1", 1.0, true),
                new FieldSpec("v", "activator concentration, 0..1", 0.0, true));
    }

    @Override
    public List<ParameterSpec> parameters() {
        // Defaults grow branching "coral" from a seed at dx = 1 (Karl Sims's feed and kill rates).
        return List.of(
                ParameterSpec.real(FEED, 0.0545, ValueRange.closed(0, MAX_RATE), "feed rate F of u"),
                ParameterSpec.real(KILL, 0.062, ValueRange.closed(0, MAX_RATE), "kill rate k of v (removed at F + k)"),
                ParameterSpec.real(DU, 0.16, ValueRange.positive(MAX_DIFFUSIVITY), "diffusivity of u"),
                ParameterSpec.real(DV, 0.08, ValueRange.positive(MAX_DIFFUSIVITY), "diffusivity of v"));
    }

    /**
     * Every node's new value is a non-negative combination of old values when the centre's weight
     * stays >= 0 for both species (with v <= 1), so u and v never turn negative.
     */
    @Override
    public StabilityRule stability() {
        return StabilityRule.limit("dt*(2*max(Du,Dv)*(1/dx^2 + 1/dy^2) + 1 + feed + kill) <= 1",
                GrayScottKernel::maxStableDt);
    }

    static double maxStableDt(GridGeometry grid, Parameters p) {
        double inverseSquares = 1 / (grid.dx() * grid.dx()) + 1 / (grid.dy() * grid.dy());
        double diffusion = 2 * Math.max(p.real(DU), p.real(DV)) * inverseSquares;
        return 1 / (diffusion + 1 + p.real(FEED) + p.real(KILL));
    }

    /** A Dirichlet edge would hold u and v at one value, which never models anything: refuse it. */
    @Override
    public void validate(GridGeometry grid, Boundary boundary, Parameters params) {
        for (Edge edge : Edge.values()) {
            if (boundary.on(edge).isDirichlet()) {
                throw new IllegalArgumentException("kernel " + NAME + ": the " + edge.label() + " edge is "
                        + boundary.on(edge) + ", which would hold both u and v at one value; use --boundary periodic"
                        + " or --boundary neumann");
            }
        }
    }

    @Override
    public void initialize(GridGeometry grid, Parameters params, List<MemorySegment> fields) {
        MemorySegment u = fields.get(U);
        MemorySegment v = fields.get(V);
        for (long i = 0; i < grid.cells(); i++) {
            double seed = Math.clamp(u.getAtIndex(CELL, i), 0.0, 1.0);
            u.setAtIndex(CELL, i, 1 - seed * U_PER_SEED);
            v.setAtIndex(CELL, i, seed * V_PER_SEED);
        }
    }

    /** The 5-point stencil reads the four nearest neighbours only. */
    @Override
    public OptionalInt stencilRadius() {
        return OptionalInt.of(1);
    }

    @Override
    public Stepper prepare(KernelSetup setup) {
        Parameters p = setup.params();
        return new GrayScottStepper(p.real(FEED), p.real(KILL), p.real(DU), p.real(DV), setup.dt(),
                setup.grid().dx(), setup.grid().dy());
    }
}
