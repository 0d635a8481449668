package dev.heatgrid.solver.kernels;

import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.ParameterSpec;
import dev.heatgrid.solver.spi.StabilityRule;
import dev.heatgrid.solver.spi.Stepper;
import java.util.List;

/**
 * The plain path every faster one must match: ftcs with the scalar loop, one step at a time, its
 * statistics scanned after each chunk. Its stepper declares no row radius and does not scan, so
 * the engine neither fuses steps nor folds statistics into it.
 */
public final class ScalarReferenceFtcs implements Kernel {
    public static final String NAME = "ftcs-scalar-reference";
    private final FtcsKernel ftcs = new FtcsKernel();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "ftcs, scalar loop, one step at a time (tests)";
    }

    @Override
    public List<ParameterSpec> parameters() {
        return ftcs.parameters();
    }

    @Override
    public StabilityRule stability() {
        return ftcs.stability();
    }

    @Override
    public Stepper prepare(KernelSetup setup) {
        Stepper scalar = FtcsKernel.scalar(setup);
        return (frame, pass, first, end) -> scalar.step(frame, pass, first, end);
    }
}
