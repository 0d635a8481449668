/**
 * Examples (examples/README.md): plug-in kernels, a third-party reader on the segment alone
 * ({@code consumer}), and an embedding of the solver. Nothing here is API: the kernels are found
 * through the solver's ServiceLoader, here by 'provides' and on the class path (and in the
 * Gray-Scott plug-in jar) by META-INF/services; the rest are main classes.
 */
module dev.heatgrid.examples {
    requires dev.heatgrid.solver;

    provides dev.heatgrid.solver.spi.Kernel with
            dev.heatgrid.examples.grayscott.GrayScottKernel,
            dev.heatgrid.examples.conductivity.VariableConductivityKernel,
            dev.heatgrid.examples.advection.AdvectionDiffusionKernel;
}
