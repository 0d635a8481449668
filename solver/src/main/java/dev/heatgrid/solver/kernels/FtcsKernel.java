package dev.heatgrid.solver.kernels;

import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.ParameterSpec;
import dev.heatgrid.solver.spi.StabilityRule;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.OptionalInt;

/**
 * Forward time, centred space: the explicit 5-point scheme for u_t = alpha * laplacian(u),
 * second order in space, first in time, stable for alpha*dt*(1/dx^2 + 1/dy^2) <= 1/2.
 * The default kernel, and the one tuned to run at memory speed (docs/BENCHMARKS.md).
 */
public final class FtcsKernel implements Kernel {
    public static final String NAME = "ftcs";
    private static final FtcsRows ROWS = FtcsRows.best();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "explicit 5-point heat equation (forward time, centred space); fast, conditionally stable";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(HeatParameters.ALPHA_SPEC);
    }

    @Override
    public StabilityRule stability() {
        return StabilityRule.limit("alpha*dt*(1/dx^2 + 1/dy^2) <= 1/2 (r = alpha*dt/dx^2 <= 1/4 when dx = dy)",
                HeatParameters::explicitLimit);
    }

    /** The 5-point stencil reads the four nearest neighbours only. */
    @Override
    public OptionalInt stencilRadius() {
        return OptionalInt.of(1);
    }

    @Override
    public Stepper prepare(KernelSetup setup) {
        return prepare(ROWS, setup);
    }

    private static Stepper prepare(FtcsRows rows, KernelSetup setup) {
        double alpha = setup.params().real(HeatParameters.ALPHA);
        double rx = alpha * setup.dt() / (setup.grid().dx() * setup.grid().dx());
        double ry = alpha * setup.dt() / (setup.grid().dy() * setup.grid().dy());
        return new FtcsStepper(rows, rx, ry, setup.boundary());
    }

    /** The scalar loop for a setup, whatever this JVM has: the reference every faster path is compared with. */
    static Stepper scalar(KernelSetup setup) {
        return prepare(new ScalarFtcsRows(), setup);
    }

    /** Whether this JVM steps with the vector loop. */
    public static boolean vectorized() {
        return !(ROWS instanceof ScalarFtcsRows);
    }

    /** The stepper for a given loop: lets tests compare the scalar and vector loops in one JVM. */
    static Stepper stepper(boolean vector, double rx, double ry, Boundary boundary) {
        FtcsRows rows = vector ? FtcsRows.best() : new ScalarFtcsRows();
        return new FtcsStepper(rows, rx, ry, boundary);
    }

    /**
     * The nodes of a Dirichlet west or east edge are not computed: the engine writes the edge's value
     * into them after every step (docs/KERNELS.md), and C's loop leaves them alone too. Their scalar
     * loads, each with its bounds check, were 6 % of a 128² step; whole runs went 1.10x as fast at
     * 128² and 1.17x at 512² (docs/BENCHMARKS.md, "Dirichlet edge nodes left to the engine"). Dirichlet
     * rows are still computed: skipping them measured 5 % slower at 512², for reasons not found.
     */
    private record FtcsStepper(FtcsRows rows, double rx, double ry, Boundary boundary) implements Stepper {
        /** Rows first..end-1: the rows between the south and north edge rows have their neighbours next to them, one band. */
        @Override
        public void step(StepFrame frame, int pass, int first, int end) {
            int innerFirst = Math.min(Math.max(first, 1), end);
            int innerEnd = Math.max(Math.min(end, frame.ny() - 1), innerFirst);
            rowsOneByOne(frame, first, innerFirst);
            if (innerFirst < innerEnd) {
                int nx = frame.nx();
                rows.innerRows(frame.source(0), frame.target(0), frame.offset(0, innerFirst), innerEnd - innerFirst, nx,
                        westGhost(frame), eastGhost(frame), rx, ry);
            }
            rowsOneByOne(frame, innerEnd, end);
        }

        private int westGhost(StepFrame frame) {
            return boundary.west().isDirichlet() ? FtcsRows.HELD : frame.columnWest(0);
        }

        private int eastGhost(StepFrame frame) {
            return boundary.east().isDirichlet() ? FtcsRows.HELD : frame.columnEast(frame.nx() - 1);
        }

        /** Rows first..end-1 one at a time, each between the rows the frame names as its neighbours. */
        private void rowsOneByOne(StepFrame frame, int first, int end) {
            MemorySegment src = frame.source(0);
            MemorySegment dst = frame.target(0);
            int nx = frame.nx();
            int westGhost = westGhost(frame);
            int eastGhost = eastGhost(frame);
            for (int y = first; y < end; y++) {
                long centre = frame.offset(0, y);
                rows.row(src, frame.offset(0, frame.rowBelow(y)), centre, frame.offset(0, frame.rowAbove(y)), dst, centre, nx,
                        westGhost, eastGhost, rx, ry);
            }
        }
    }
}
