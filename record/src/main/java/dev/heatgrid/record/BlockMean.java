package dev.heatgrid.record;

/**
 * Downsampling by K: each recorded cell is the mean of a K x K block of source cells. Only whole
 * blocks are kept, so the recorded grid stays uniform ({@code nx / K} by {@code ny / K}); the last
 * {@code nx mod K} columns and {@code ny mod K} rows are left out, and the caller says so.
 */
final class BlockMean {
    private final int k;
    private final int sourceNx;
    private final int nx;
    private final int ny;

    BlockMean(int k, int sourceNx, int sourceNy) {
        if (k < 1 || k > Math.min(sourceNx, sourceNy)) {
            throw new IllegalArgumentException("downsample " + k + " must be between 1 and "
                    + Math.min(sourceNx, sourceNy) + " for a " + sourceNx + "x" + sourceNy + " grid");
        }
        this.k = k;
        this.sourceNx = sourceNx;
        this.nx = sourceNx / k;
        this.ny = sourceNy / k;
    }

    int nx() {
        return nx;
    }

    int ny() {
        return ny;
    }

    /** Reduces {@code source} into {@code into} ({@code nx * ny} cells). */
    void reduce(double[] source, double[] into) {
        double scale = 1.0 / ((double) k * k);
        java.util.Arrays.fill(into, 0.0);
        for (int y = 0; y < ny * k; y++) {
            int row = (y / k) * nx;
            int base = y * sourceNx;
            for (int bx = 0; bx < nx; bx++) {
                double sum = 0;
                int from = base + bx * k;
                for (int i = 0; i < k; i++) {
                    sum += source[from + i];
                }
                into[row + bx] += sum;
            }
        }
        for (int i = 0; i < into.length; i++) {
            into[i] *= scale;
        }
    }
}
