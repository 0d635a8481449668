/**
 * The worker threads that step a grid: one band per worker and one barrier per pass, and the row
 * statistics the workers record. Its public types serve the solver's other packages (the kernels
 * record statistics in their loops); module-info exports the package to the benchmarks only, which
 * drive a kernel on a segment's buffers directly. Applications use {@link dev.heatgrid.solver.Solver}.
 */
package dev.heatgrid.solver.engine;
