package dev.heatgrid.solver.kernels;

import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.EdgeCondition;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.HeldNodes;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.ParameterSpec;
import dev.heatgrid.solver.spi.StabilityRule;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Subnormals;
import dev.heatgrid.solver.spi.Sweep;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Peaceman-Rachford alternating-direction implicit scheme: unconditionally stable, second order in
 * space and time, so users can take steps far beyond the explicit limit. A step is two half steps,
 * each implicit along one axis (a tridiagonal solve per line) and explicit along the other:
 * <pre>
 *   pass 0, bands of columns:  (I - ry/2 dyy) u* = (I + rx/2 dxx) u      (solve along y)
 *   pass 1, bands of rows:     (I - rx/2 dxx) u' = (I + ry/2 dyy) u*     (solve along x)
 * </pre>
 * with rx = alpha*dt/dx^2, ry = alpha*dt/dy^2. The column pass sweeps row by row across its band of
 * columns, so memory is read in rows even though the solves run along columns. Dirichlet nodes are
 * identity rows holding the source value, and so are the heater's held nodes (see {@link HeldNodes});
 * Neumann ends fold the mirrored ghost into the diagonal (so the sum of all nodes is conserved);
 * periodic lines are cyclic systems.
 */
public final class AdiKernel implements Kernel {
    public static final String NAME = "adi";
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** --dt auto: 4x the explicit limit (r = 1 when dx = dy): large steps that still damp the finest modes. */
    private static final double AUTO_FACTOR = 4;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "implicit heat equation, Peaceman-Rachford ADI with Thomas solves; unconditionally stable";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(HeatParameters.ALPHA_SPEC);
    }

    @Override
    public StabilityRule stability() {
        return StabilityRule.unconditional("unconditionally stable; dt auto = 4x the explicit limit, i.e. "
                        + "alpha*dt*(1/dx^2 + 1/dy^2) = 2",
                (grid, params) -> AUTO_FACTOR * HeatParameters.explicitLimit(grid, params));
    }

    /** Its line solves continue across tiles (docs/DISTRIBUTED.md, "The line solve on tiles"). */
    @Override
    public boolean solvesLinesAcrossTiles() {
        return true;
    }

    @Override
    public Stepper prepare(KernelSetup setup) {
        GridGeometry g = setup.grid();
        Boundary b = setup.boundary();
        double alpha = setup.params().real(HeatParameters.ALPHA);
        double hx = alpha * setup.dt() / (2 * g.dx() * g.dx());
        double hy = alpha * setup.dt() / (2 * g.dy() * g.dy());
        if (setup.tileLines().isPresent()) {
            return new TiledAdiStepper(hx, hy, g, setup.tileLines().get());
        }
        Tridiagonal alongY = Tridiagonal.implicitDiffusion(g.ny(), hy, b.south().isDirichlet(), b.north().isDirichlet(),
                b.periodicY());
        Tridiagonal alongX = Tridiagonal.implicitDiffusion(g.nx(), hx, b.west().isDirichlet(), b.east().isDirichlet(),
                b.periodicX());
        HeldNodes held = setup.heldNodes();
        // Lines that cross the held rectangle have identity rows there: one more factorisation per axis.
        Tridiagonal alongYHeld = held.isNone() ? alongY : Tridiagonal.implicitDiffusion(g.ny(), hy, b.south().isDirichlet(),
                b.north().isDirichlet(), b.periodicY(), held.y0(), held.y1());
        Tridiagonal alongXHeld = held.isNone() ? alongX : Tridiagonal.implicitDiffusion(g.nx(), hx, b.west().isDirichlet(),
                b.east().isDirichlet(), b.periodicX(), held.x0(), held.x1());
        return new AdiStepper(hx, hy, alongX, alongY, alongXHeld, alongYHeld, held, b, setup.allocate(g.cells()));
    }

    private static final class AdiStepper implements Stepper {
        private final double hx;
        private final double hy;
        private final Tridiagonal alongX;
        private final Tridiagonal alongY;
        private final Tridiagonal alongXHeld;
        private final Tridiagonal alongYHeld;
        private final HeldNodes held;
        private final boolean fixedSouth;
        private final boolean fixedNorth;
        private final boolean fixedWest;
        private final boolean fixedEast;
        /** u* between the two half steps: private to this stepper, never published. */
        private final MemorySegment half;

        AdiStepper(double hx, double hy, Tridiagonal alongX, Tridiagonal alongY, Tridiagonal alongXHeld,
                   Tridiagonal alongYHeld, HeldNodes held, Boundary b, MemorySegment half) {
            this.hx = hx;
            this.hy = hy;
            this.alongX = alongX;
            this.alongY = alongY;
            this.alongXHeld = alongXHeld;
            this.alongYHeld = alongYHeld;
            this.held = held;
            this.fixedSouth = b.south().kind() == EdgeCondition.Kind.DIRICHLET;
            this.fixedNorth = b.north().kind() == EdgeCondition.Kind.DIRICHLET;
            this.fixedWest = b.west().kind() == EdgeCondition.Kind.DIRICHLET;
            this.fixedEast = b.east().kind() == EdgeCondition.Kind.DIRICHLET;
            this.half = half;
        }

        @Override
        public int passes() {
            return 2;
        }

        @Override
        public Sweep sweep(int pass) {
            return pass == 0 ? Sweep.COLUMNS : Sweep.ROWS;
        }

        @Override
        public void step(StepFrame frame, int pass, int first, int end) {
            if (pass == 0) {
                implicitAlongY(frame, first, end);
            } else {
                implicitAlongX(frame, first, end);
            }
        }

        /** Columns first..end-1, split where they cross the held rectangle (other coefficients there). */
        private void implicitAlongY(StepFrame frame, int first, int end) {
            if (held.isNone() || held.x1() < first || held.x0() >= end) {
                sweepAlongY(frame, first, end, alongY, false);
                return;
            }
            int a = Math.max(first, held.x0());
            int b = Math.min(end, held.x1() + 1);
            sweepAlongY(frame, first, a, alongY, false);
            sweepAlongY(frame, a, b, alongYHeld, true);
            sweepAlongY(frame, b, end, alongY, false);
        }

        /** Right-hand side explicit in x, then Thomas sweeps along y, all row by row across the columns. */
        private void sweepAlongY(StepFrame frame, int first, int end, Tridiagonal t, boolean heldColumns) {
            if (first >= end) {
                return;
            }
            MemorySegment u = frame.source(0);
            int ny = frame.ny();
            for (int y = 0; y < ny; y++) {
                boolean fixedRow = (y == 0 && fixedSouth) || (y == ny - 1 && fixedNorth)
                        || (heldColumns && y >= held.y0() && y <= held.y1());
                double inv = t.inv[y];
                double lower = t.lower[y];
                for (int x = first; x < end; x++) {
                    double c = u.get(CELL, frame.offset(x, y));
                    double d = fixedRow ? c : c + hx * ((u.get(CELL, frame.offset(frame.columnWest(x), y))
                            + u.get(CELL, frame.offset(frame.columnEast(x), y))) - (c + c));
                    double prev = y == 0 ? 0 : half.get(CELL, frame.offset(x, y - 1));
                    half.set(CELL, frame.offset(x, y), (d - lower * prev) * inv);
                }
            }
            for (int y = ny - 2; y >= 0; y--) {
                double up = t.upperPrime[y];
                for (int x = first; x < end; x++) {
                    long at = frame.offset(x, y);
                    half.set(CELL, at, half.get(CELL, at) - up * half.get(CELL, frame.offset(x, y + 1)));
                }
            }
            if (t.cyclic) {
                for (int x = first; x < end; x++) {
                    double fact = (half.get(CELL, frame.offset(x, 0)) + t.corner * half.get(CELL, frame.offset(x, ny - 1)))
                            * t.correction;
                    for (int y = 0; y < ny; y++) {
                        long at = frame.offset(x, y);
                        half.set(CELL, at, half.get(CELL, at) - fact * t.z[y]);
                    }
                }
            }
        }

        /** Rows first..end-1: right-hand side explicit in y from u*, one Thomas solve along x per row. */
        private void implicitAlongX(StepFrame frame, int first, int end) {
            MemorySegment u = frame.source(0);
            MemorySegment out = frame.target(0);
            int nx = frame.nx();
            double[] line = new double[nx];
            for (int y = first; y < end; y++) {
                int below = frame.rowBelow(y);
                int above = frame.rowAbove(y);
                boolean heldRow = held.coversRow(y);
                for (int x = 0; x < nx; x++) {
                    double c = half.get(CELL, frame.offset(x, y));
                    boolean fixedNode = (x == 0 && fixedWest) || (x == nx - 1 && fixedEast)
                            || (heldRow && x >= held.x0() && x <= held.x1());
                    line[x] = fixedNode ? u.get(CELL, frame.offset(x, y))
                            : c + hy * ((half.get(CELL, frame.offset(x, below)) + half.get(CELL, frame.offset(x, above)))
                            - (c + c));
                }
                (heldRow ? alongXHeld : alongX).solveInPlace(line);
                for (int x = 0; x < nx; x++) {
                    out.set(CELL, frame.offset(x, y), Subnormals.flush(line[x]));
                }
            }
        }
    }
}
