package dev.heatgrid.tiles;

import java.util.Arrays;
import java.util.Locale;

/**
 * What the halo exchange of one tile cost, exchange by exchange: the time to pack and offer its
 * messages, the time it then waited for its neighbours' messages of the same exchange (their lateness
 * plus the transport's latency), the time to step its edge strips, and the bytes it sent. Kept for
 * the newest {@link #CAPACITY} exchanges (the run's steady state, after the JIT has warmed up) so
 * medians are exact. Written by the run's thread only; read after the run.
 */
public final class HaloStatistics {
    static final int CAPACITY = 1 << 16;

    private final long[] send = new long[CAPACITY];
    private final long[] wait = new long[CAPACITY];
    private final long[] strips = new long[CAPACITY];
    private long exchanges;
    private long bytesSent;

    void record(long sendNanos, long waitNanos, long stripNanos, int bytes) {
        int i = (int) (exchanges % CAPACITY);
        send[i] = sendNanos;
        wait[i] = waitNanos;
        strips[i] = stripNanos;
        exchanges++;
        bytesSent += bytes;
    }

    /** Exchanges that carried nodes (rounds while paused are not counted). */
    public long exchanges() {
        return exchanges;
    }

    /** Mean bytes this tile sent per exchange, headers included, over all its neighbours. */
    public double bytesPerExchange() {
        return exchanges == 0 ? 0 : (double) bytesSent / exchanges;
    }

    /** Median nanoseconds to pack and offer one exchange's messages. */
    public long medianSendNanos() {
        return quantile(send, 0.5);
    }

    /** Median nanoseconds waited for the neighbours' messages. */
    public long medianWaitNanos() {
        return quantile(wait, 0.5);
    }

    /** 99th percentile of the wait. */
    public long p99WaitNanos() {
        return quantile(wait, 0.99);
    }

    /** Median nanoseconds to step the edge strips. */
    public long medianStripNanos() {
        return quantile(strips, 0.5);
    }

    private long quantile(long[] samples, double q) {
        int n = (int) Math.min(exchanges, CAPACITY);
        if (n == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(samples, n);
        Arrays.sort(sorted);
        return sorted[(int) Math.min(n - 1, Math.floor(q * n))];
    }

    /** One line for the end of a run. */
    public String summary() {
        if (exchanges == 0) {
            return "no halo exchanges";
        }
        return String.format(Locale.ROOT, "%d halo exchanges, %.0f bytes sent per exchange; median µs: send %.1f,"
                        + " wait %.1f (p99 %.1f), edge strips %.1f (newest %d exchanges)", exchanges, bytesPerExchange(),
                medianSendNanos() / 1e3, medianWaitNanos() / 1e3, p99WaitNanos() / 1e3, medianStripNanos() / 1e3,
                Math.min(exchanges, CAPACITY));
    }
}
