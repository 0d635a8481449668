package dev.heatgrid.examples.conductivity;

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
 * Heat in a material whose conductivity varies from node to node, T_t = alpha div(k grad T), in
 * conservative flux form: the flux through the face between two nodes uses the harmonic mean of
 * their conductivities (two materials in series), and whatever leaves one node enters its
 * neighbour, so with insulated (Neumann) or periodic edges the total heat stays constant.
 *
 * <p>The conductivity is the second field, {@code k}, which the kernel reads and never writes: the
 * {@code map} parameter paints it at step 0 (uniform, a composite plate or a cooling fin), and the
 * viewer shows it like any field. {@code map} and {@code contrast} act at step 0 only.
 */
public final class VariableConductivityKernel implements Kernel {
    public static final String NAME = "variable-conductivity";
    public static final String ALPHA = "alpha";
    public static final String MAP = "map";
    public static final String CONTRAST = "contrast";
    static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE;
    static final int T = 0;
    static final int K = 1;
    private static final double MAX_ALPHA = 1e12;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "heat with a conductivity field k (composite plate, cooling fin), conservative flux form";
    }

    @Override
    public List<FieldSpec> fields() {
        return List.of(FieldSpec.evolving("T", "temperature"),
                new FieldSpec("k", "conductivity, contrast..1 (constant)", 1.0, false));
    }

    @Override
    public List<ParameterSpec> parameters() {
        int lastMap = ConductivityMap.values().length - 1;
        return List.of(
                ParameterSpec.real(ALPHA, 1.0, ValueRange.positive(MAX_ALPHA), "diffusivity of the best conductor"),
                ParameterSpec.integer(MAP, ConductivityMap.COMPOSITE_PLATE.ordinal(), ValueRange.closed(0, lastMap),
                        "conductivity map at step 0: " + ConductivityMap.choices()),
                ParameterSpec.real(CONTRAST, 0.1, ValueRange.positive(1), "conductivity of the poor conductor, at step 0 (the good one has k = 1)"));
    }

    /** k <= 1 everywhere, so the explicit heat equation's limit with alpha holds. */
    @Override
    public StabilityRule stability() {
        return StabilityRule.limit("alpha*dt*(1/dx^2 + 1/dy^2) <= 1/2 (k <= 1)", (grid, p) ->
                0.5 / (p.real(ALPHA) * (1 / (grid.dx() * grid.dx()) + 1 / (grid.dy() * grid.dy()))));
    }

    @Override
    public void initialize(GridGeometry grid, Parameters params, List<MemorySegment> fields) {
        ConductivityMap map = ConductivityMap.of(params.integer(MAP));
        double contrast = params.real(CONTRAST);
        MemorySegment k = fields.get(K);
        for (int y = 0; y < grid.ny(); y++) {
            for (int x = 0; x < grid.nx(); x++) {
                k.setAtIndex(CELL, (long) y * grid.nx() + x, map.conductivity(grid, x, y, contrast));
            }
        }
    }

    /** The 5-point stencil reads the four nearest neighbours only. */
    @Override
    public OptionalInt stencilRadius() {
        return OptionalInt.of(1);
    }

    @Override
    public Stepper prepare(KernelSetup setup) {
        double alpha = setup.params().real(ALPHA);
        double dx = setup.grid().dx();
        double dy = setup.grid().dy();
        return new ConductivityStepper(alpha * setup.dt() / (dx * dx), alpha * setup.dt() / (dy * dy));
    }
}
