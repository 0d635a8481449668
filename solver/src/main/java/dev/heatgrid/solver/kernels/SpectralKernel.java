package dev.heatgrid.solver.kernels;

import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Edge;
import dev.heatgrid.solver.spi.EdgeCondition;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.ParameterSpec;
import dev.heatgrid.solver.spi.Parameters;
import dev.heatgrid.solver.spi.StabilityRule;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.Subnormals;
import dev.heatgrid.solver.spi.Sweep;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.commons.math3.transform.DstNormalization;
import org.apache.commons.math3.transform.FastSineTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * The exact solution of u_t = alpha * laplacian(u) with zero Dirichlet edges, for the grid function
 * taken as its sine interpolant: each sine mode (p, q) decays by exp(-alpha * dt * pi^2 * (p^2/Lx^2
 * + q^2/Ly^2)), with Lx = (nx-1)*dx. Computed with Commons Math's FastSineTransformer, so the grid
 * needs 2^k+1 nodes per side (the edge nodes are the zero boundary). Any dt is exact; it is the
 * oracle the other kernels are tested against.
 * <pre>
 *   pass 0, rows:     sine transform of each row            (source -> scratch)
 *   pass 1, columns:  transform, decay each mode, inverse   (in scratch)
 *   pass 2, rows:     inverse transform of each row         (scratch -> target)
 * </pre>
 */
public final class SpectralKernel implements Kernel {
    public static final String NAME = "spectral";
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Orthogonal DST-I: the transform is its own inverse. Stateless, so shared by all workers. */
    private static final FastSineTransformer DST = new FastSineTransformer(DstNormalization.ORTHOGONAL_DST_I);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "exact solution by sine transform (Commons Math); zero Dirichlet edges, 2^k+1 nodes per side";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(HeatParameters.ALPHA_SPEC);
    }

    @Override
    public StabilityRule stability() {
        return StabilityRule.unconditional("exact for every dt; dt auto = the explicit limit",
                HeatParameters::explicitLimit);
    }

    @Override
    public void validate(GridGeometry grid, Boundary boundary, Parameters params) {
        for (Edge e : Edge.values()) {
            EdgeCondition c = boundary.on(e);
            if (!c.isDirichlet() || c.value() != 0) {
                throw new IllegalArgumentException("kernel spectral needs dirichlet:0 on every edge, but "
                        + e.label() + " is " + c);
            }
        }
        checkSide("nx", grid.nx());
        checkSide("ny", grid.ny());
    }

    private static void checkSide(String name, int nodes) {
        int intervals = nodes - 1;
        if (intervals < 2 || Integer.bitCount(intervals) != 1) {
            int below = Integer.highestOneBit(Math.max(2, intervals)) + 1;
            throw new IllegalArgumentException("kernel spectral needs 2^k+1 nodes per side (e.g. 257, 513), but " + name
                    + " is " + nodes + "; nearest: " + below + " or " + (2 * (below - 1) + 1));
        }
    }

    @Override
    public Stepper prepare(KernelSetup setup) {
        GridGeometry g = setup.grid();
        validate(g, setup.boundary(), setup.params());
        double alpha = setup.params().real(HeatParameters.ALPHA);
        double[] decayX = decay(g.nx() - 1, g.dx(), alpha, setup.dt());
        double[] decayY = decay(g.ny() - 1, g.dy(), alpha, setup.dt());
        return new SpectralStepper(decayX, decayY, setup.allocate(g.cells()));
    }

    /** exp(-alpha dt (pi k / L)^2) for modes k = 0..n-1 of a side with n intervals. */
    private static double[] decay(int intervals, double h, double alpha, double dt) {
        double length = intervals * h;
        double[] d = new double[intervals];
        for (int k = 0; k < intervals; k++) {
            double wave = Math.PI * k / length;
            d[k] = Math.exp(-alpha * dt * wave * wave);
        }
        return d;
    }

    private record SpectralStepper(double[] decayX, double[] decayY, MemorySegment modes) implements Stepper {
        @Override
        public int passes() {
            return 3;
        }

        @Override
        public Sweep sweep(int pass) {
            return pass == 1 ? Sweep.COLUMNS : Sweep.ROWS;
        }

        @Override
        public void step(StepFrame frame, int pass, int first, int end) {
            int nx = frame.nx();
            int ny = frame.ny();
            switch (pass) {
                case 0 -> {
                    double[] row = new double[nx - 1];
                    for (int y = first; y < end; y++) {
                        MemorySegment.copy(frame.source(0), CELL, frame.offset(0, y), row, 0, nx - 1);
                        row[0] = 0; // the west edge node is the zero boundary (exactly 0 already)
                        double[] f = DST.transform(row, TransformType.FORWARD);
                        MemorySegment.copy(f, 0, modes, CELL, frame.offset(0, y), nx - 1);
                    }
                }
                case 1 -> {
                    double[] column = new double[ny - 1];
                    for (int x = first; x < end; x++) {
                        if (x >= nx - 1) {
                            continue; // no mode lives on the east edge column
                        }
                        for (int y = 0; y < ny - 1; y++) {
                            column[y] = modes.get(CELL, frame.offset(x, y));
                        }
                        column[0] = 0;
                        double[] g = DST.transform(column, TransformType.FORWARD);
                        for (int q = 0; q < ny - 1; q++) {
                            g[q] *= decayX[x] * decayY[q];
                        }
                        g[0] = 0;
                        double[] back = DST.transform(g, TransformType.INVERSE);
                        for (int y = 0; y < ny - 1; y++) {
                            modes.set(CELL, frame.offset(x, y), back[y]);
                        }
                    }
                }
                default -> {
                    double[] row = new double[nx - 1];
                    for (int y = first; y < end; y++) {
                        MemorySegment out = frame.target(0);
                        if (y == 0 || y == ny - 1) {
                            out.asSlice(frame.offset(0, y), (long) nx * Double.BYTES).fill((byte) 0);
                            continue;
                        }
                        MemorySegment.copy(modes, CELL, frame.offset(0, y), row, 0, nx - 1);
                        row[0] = 0;
                        double[] f = DST.transform(row, TransformType.INVERSE);
                        for (int x = 0; x < nx - 1; x++) {
                            out.set(CELL, frame.offset(x, y), Subnormals.flush(f[x]));
                        }
                        out.set(CELL, frame.offset(nx - 1, y), 0.0);
                    }
                }
            }
        }
    }
}
