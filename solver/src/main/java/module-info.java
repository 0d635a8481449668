/**
 * The writer side: steps a grid in place inside a segment with pluggable kernels, run control and
 * steering. Applications use {@code dev.heatgrid.solver} and write kernels against
 * {@code dev.heatgrid.solver.spi}; the step engine and the built-in kernels are this module's own,
 * opened only to the benchmarks, which drive them on a segment's buffers directly.
 */
@SuppressWarnings({
        "module", // dev.heatgrid.bench is built after this module: javac cannot see it here
        "requires-automatic"}) // Commons Math 3 names no module; its jar's name gives commons.math3
module dev.heatgrid.solver {
    // Solver, SolverConfig and the SPI speak of the segment's types (FieldStats, SteeringCommand, ...).
    requires transitive dev.heatgrid.segment;
    // The spectral kernel's sine transform.
    requires commons.math3;
    // The step engine's helpers join a run once the JIT has gone quiet (JitQuiet asks the JVM's compilers).
    requires java.management;
    // TerminationSignals turns SIGINT/SIGTERM into a stop with sun.misc.Signal.
    requires jdk.unsupported;
    // The vector loops (ftcs, row statistics), used only when the JVM is started with
    // --add-modules jdk.incubator.vector (VectorSupport looks for the module first).
    requires static jdk.incubator.vector;

    exports dev.heatgrid.solver;
    exports dev.heatgrid.solver.spi;
    exports dev.heatgrid.solver.engine to dev.heatgrid.bench;
    exports dev.heatgrid.solver.kernels to dev.heatgrid.bench;

    // A plug-in is two classes and a services line: named modules say `provides`, jars on the class
    // path (and --kernel-jar) list the class in META-INF/services, like the built-ins below do too.
    uses dev.heatgrid.solver.spi.Kernel;
    provides dev.heatgrid.solver.spi.Kernel with
            dev.heatgrid.solver.kernels.FtcsKernel,
            dev.heatgrid.solver.kernels.AdiKernel,
            dev.heatgrid.solver.kernels.SpectralKernel;
}
