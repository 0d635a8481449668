/**
 * The kernel plug-in interface: what a numerical scheme declares ({@link dev.heatgrid.solver.spi.Kernel}:
 * name, fields, typed parameters, stability rule) and how it steps a band of rows from the published
 * frame into the back buffer ({@link dev.heatgrid.solver.spi.Stepper}, {@link dev.heatgrid.solver.spi.StepFrame}).
 * The engine owns threads, boundaries, statistics and publication. See docs/KERNELS.md.
 */
package dev.heatgrid.solver.spi;
