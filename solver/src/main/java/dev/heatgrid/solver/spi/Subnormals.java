package dev.heatgrid.solver.spi;

/**
 * Heat spreading into a region at exactly 0 leaves a band of values behind its front that shrink
 * until they are subnormal (below 2^-1022), and x86 may take a micro-code assist on operations that
 * touch them (a prototype measured rows of them halving a thread's speed; the figures for this
 * kernel are in docs/BENCHMARKS.md). Java cannot set the CPU's flush-to-zero mode, so the built-in
 * kernels flush in software: every value they write whose magnitude is below {@link #FLUSH_BELOW}
 * becomes +0.0, in the scalar and the vector path alike, so no frame ever holds a subnormal.
 *
 * <p>The threshold, 2^-900 (about 1.2e-271), is far above the subnormal range on purpose: then the
 * differences and products a stencil forms from stored values (whose spacing is at least
 * 2^-952) stay normal too, for coefficients down to about 2^-70. It is also far below any value a
 * physical quantity can meaningfully take. Plug-in kernels are encouraged to apply {@link #flush}.
 */
public final class Subnormals {
    /**
     * Values with a smaller magnitude are stored as +0.0 (NaN is kept, so blow-ups stay visible).
     * The system property {@code heatgrid.flushSubnormals=false}, read once at start-up, makes it 0
     * (nothing is flushed): only for measuring what the flush saves (docs/BENCHMARKS.md).
     */
    public static final double FLUSH_BELOW =
            "false".equalsIgnoreCase(System.getProperty("heatgrid.flushSubnormals")) ? 0.0 : 0x1p-900;

    private Subnormals() {
    }

    public static double flush(double value) {
        return Math.abs(value) < FLUSH_BELOW ? 0.0 : value;
    }
}
