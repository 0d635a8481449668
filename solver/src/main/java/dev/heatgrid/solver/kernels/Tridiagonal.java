package dev.heatgrid.solver.kernels;

/**
 * A constant-coefficient tridiagonal (or cyclic tridiagonal) system along one grid line, factored
 * once so that each solve is two multiply-add sweeps (Thomas algorithm): row i reads
 * {@code lower[i] * u[i-1] + diag[i] * u[i] + upper[i] * u[i+1] = d[i]}. A periodic line adds the
 * corner entries {@code lower[0]} (coefficient of u[n-1] in row 0) and {@code upper[n-1]}
 * (coefficient of u[0] in row n-1); it is solved with the Sherman-Morrison correction, whose
 * vector {@link #z} is the same for every line, so it is precomputed too.
 *
 * <p>Forward sweep: {@code d'[i] = (d[i] - lower[i] * d'[i-1]) * inv[i]}; back substitution:
 * {@code u[i] = d'[i] - upperPrime[i] * u[i+1]}; then, if cyclic,
 * {@code u[i] -= ((u[0] + corner * u[n-1]) * correction) * z[i]}.
 */
final class Tridiagonal {
    final int n;
    final double[] lower;
    final double[] inv;
    final double[] upperPrime;
    final boolean cyclic;
    /** corner factor beta/gamma of the Sherman-Morrison correction (0 unless cyclic). */
    final double corner;
    /** 1 / (1 + z[0] + corner * z[n-1]) (0 unless cyclic). */
    final double correction;
    final double[] z;

    private Tridiagonal(int n, double[] lower, double[] inv, double[] upperPrime, boolean cyclic, double corner,
                        double correction, double[] z) {
        this.n = n;
        this.lower = lower;
        this.inv = inv;
        this.upperPrime = upperPrime;
        this.cyclic = cyclic;
        this.corner = corner;
        this.correction = correction;
        this.z = z;
    }

    /**
     * The system {@code (I - h * delta^2) u = d} along a line of {@code n} nodes, where delta^2 is
     * the second difference with the line's ends as the boundary says.
     *
     * @param h             half the mesh ratio, alpha * dt / (2 dx^2)
     * @param fixedFirst    the first node is Dirichlet: its row is the identity
     * @param fixedLast     the last node is Dirichlet
     * @param periodic      the line wraps around
     */
    static Tridiagonal implicitDiffusion(int n, double h, boolean fixedFirst, boolean fixedLast, boolean periodic) {
        return implicitDiffusion(n, h, fixedFirst, fixedLast, periodic, 0, -1);
    }

    /** The same with nodes {@code heldFrom..heldTo} held fixed too (identity rows). */
    static Tridiagonal implicitDiffusion(int n, double h, boolean fixedFirst, boolean fixedLast, boolean periodic,
                                         int heldFrom, int heldTo) {
        double[] lower = new double[n];
        double[] diag = new double[n];
        double[] upper = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = 1 + 2 * h;
            lower[i] = -h;
            upper[i] = -h;
        }
        if (n == 1) {
            diag[0] = 1; // a single node has no neighbours to exchange heat with along this line
            lower[0] = 0;
            upper[0] = 0;
            return factor(n, lower, diag, upper, false, 0, 0);
        }
        double cornerLower = 0; // coefficient of u[n-1] in row 0
        double cornerUpper = 0; // coefficient of u[0] in row n-1
        if (periodic) {
            cornerLower = lower[0];
            cornerUpper = upper[n - 1];
        } else {
            // Neumann: the ghost node mirrors the end node, so its coefficient joins the diagonal.
            diag[0] += lower[0];
            diag[n - 1] += upper[n - 1];
        }
        lower[0] = 0;
        upper[n - 1] = 0;
        if (fixedFirst) {
            diag[0] = 1;
            upper[0] = 0;
        }
        if (fixedLast) {
            diag[n - 1] = 1;
            lower[n - 1] = 0;
        }
        for (int i = Math.max(0, heldFrom); i <= Math.min(n - 1, heldTo); i++) {
            diag[i] = 1;
            lower[i] = 0;
            upper[i] = 0;
            if (i == 0) {
                cornerLower = 0;
            }
            if (i == n - 1) {
                cornerUpper = 0;
            }
        }
        periodic = periodic && (cornerLower != 0 || cornerUpper != 0);
        return factor(n, lower, diag, upper, periodic, cornerLower, cornerUpper);
    }

    private static Tridiagonal factor(int n, double[] lower, double[] diag, double[] upper, boolean cyclic,
                                      double cornerLower, double cornerUpper) {
        double gamma = 0;
        if (cyclic) {
            gamma = -diag[0];
            diag = diag.clone();
            diag[0] -= gamma;
            diag[n - 1] -= cornerUpper * cornerLower / gamma;
        }
        double[] inv = new double[n];
        double[] upperPrime = new double[n];
        inv[0] = 1 / diag[0];
        upperPrime[0] = upper[0] * inv[0];
        for (int i = 1; i < n; i++) {
            inv[i] = 1 / (diag[i] - lower[i] * upperPrime[i - 1]);
            upperPrime[i] = upper[i] * inv[i];
        }
        var system = new Tridiagonal(n, lower, inv, upperPrime, false, 0, 0, null);
        if (!cyclic) {
            return system;
        }
        double[] z = new double[n];
        z[0] = gamma;
        z[n - 1] = cornerUpper;
        system.solveInPlace(z);
        double corner = cornerLower / gamma;
        double correction = 1 / (1 + z[0] + corner * z[n - 1]);
        return new Tridiagonal(n, lower, inv, upperPrime, true, corner, correction, z);
    }

    /** Solves the (non-cyclic part of the) system for one line held in an array. */
    void solveInPlace(double[] d) {
        d[0] = d[0] * inv[0];
        for (int i = 1; i < n; i++) {
            d[i] = (d[i] - lower[i] * d[i - 1]) * inv[i];
        }
        for (int i = n - 2; i >= 0; i--) {
            d[i] = d[i] - upperPrime[i] * d[i + 1];
        }
        if (cyclic) {
            double fact = (d[0] + corner * d[n - 1]) * correction;
            for (int i = 0; i < n; i++) {
                d[i] = d[i] - fact * z[i];
            }
        }
    }
}
