/**
 * The built-in kernels: {@code ftcs} (explicit, vectorized), {@code adi} (implicit, Peaceman-Rachford)
 * and {@code spectral} (exact, sine transform). Registered with ServiceLoader like any plug-in.
 */
package dev.heatgrid.solver.kernels;
