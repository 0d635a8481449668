package dev.heatgrid.solver.kernels;

import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.ParameterSpec;
import dev.heatgrid.solver.spi.Parameters;
import dev.heatgrid.solver.spi.ValueRange;

/** What the built-in heat kernels share: the diffusivity parameter and the explicit stability limit. */
final class HeatParameters {
    static final String ALPHA = "alpha";
    static final ParameterSpec ALPHA_SPEC = ParameterSpec.real(ALPHA, 1.0, ValueRange.positive(1e12),
            "thermal diffusivity (length^2 / time): u_t = alpha * laplacian(u)");

    private HeatParameters() {
    }

    /** alpha * (1/dx^2 + 1/dy^2): the largest eigenvalue of the 5-point Laplacian is 4 times this. */
    static double inverseSquares(GridGeometry grid, Parameters params) {
        return params.real(ALPHA) * (1 / (grid.dx() * grid.dx()) + 1 / (grid.dy() * grid.dy()));
    }

    /** FTCS is stable while alpha * dt * (1/dx^2 + 1/dy^2) <= 1/2 (r <= 1/4 when dx = dy). */
    static double explicitLimit(GridGeometry grid, Parameters params) {
        return 0.5 / inverseSquares(grid, params);
    }
}
