package dev.heatgrid.solver;

/**
 * A grid of values read from a file: {@code values[y * nx + x]}, row y = 0 first (the south edge),
 * the same order as a segment field and as a numpy array of shape (ny, nx).
 */
record GridData(int nx, int ny, double[] values) {
}
