package dev.heatgrid.viewer;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * A rate over roughly the last {@link #WINDOW_NANOS}: record a running count (frames shown, or the
 * solver's step) with the time it was reached; the rate is the count's rise over the window.
 */
public final class RateMeter {
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ArrayDeque<long[]> samples = new ArrayDeque<>();

    public synchronized void record(long nanos, long count) {
        long[] last = samples.peekLast();
        if (last != null && (count < last[1] || nanos < last[0])) {
            samples.clear(); // the count restarted (a new run): rates across it mean nothing
        }
        samples.addLast(new long[] {nanos, count});
        while (samples.size() > 2 && nanos - samples.peekFirst()[0] > WINDOW_NANOS) {
            samples.removeFirst();
        }
    }

    /** Per second, NaN until two samples at different times exist. */
    public synchronized double perSecond() {
        if (samples.size() < 2) {
            return Double.NaN;
        }
        long[] first = samples.peekFirst();
        long[] last = samples.peekLast();
        long nanos = last[0] - first[0];
        return nanos <= 0 ? Double.NaN : (last[1] - first[1]) * 1e9 / nanos;
    }

    /** Per second as of {@code now}: decays to 0 when nothing was recorded for a whole window. */
    public synchronized double perSecond(long now) {
        long[] last = samples.peekLast();
        if (last == null || now - last[0] > WINDOW_NANOS) {
            return 0;
        }
        return perSecond();
    }

    public synchronized void reset() {
        samples.clear();
    }
}
