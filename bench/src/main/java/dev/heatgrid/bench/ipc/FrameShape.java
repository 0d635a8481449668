package dev.heatgrid.bench.ipc;

/**
 * A square grid of f64 cells, one field: what every transport moves. 512^2 is 2 MiB (fits in L2+L3),
 * 2048^2 is 32 MiB (bigger than the 35.75 MiB L3 shares with everything else: memory-bound).
 */
record FrameShape(int n) {
    static final FrameShape MIB_2 = new FrameShape(512);
    static final FrameShape MIB_32 = new FrameShape(2048);

    long cells() {
        return (long) n * n;
    }

    long bytes() {
        return cells() * Double.BYTES;
    }

    String label() {
        return (bytes() >> 20) + " MiB";
    }
}
