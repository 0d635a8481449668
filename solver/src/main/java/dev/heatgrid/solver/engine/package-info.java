/**
 * The worker threads that step a grid: one band per worker and one barrier per pass. Public so
 * that benchmarks can drive a kernel on a segment's buffers directly; applications use
 * {@link dev.heatgrid.solver.Solver}.
 */
package dev.heatgrid.solver.engine;
