package dev.heatgrid.solver.spi;

/** What the engine splits among workers in one pass of a step. */
public enum Sweep {
    /** Bands of rows: {@code first..end} are row numbers y. */
    ROWS,
    /** Bands of columns: {@code first..end} are column numbers x (e.g. a tridiagonal solve along y). */
    COLUMNS
}
