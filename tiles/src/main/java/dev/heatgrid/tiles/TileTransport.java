package dev.heatgrid.tiles;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Aeron underneath the tiles: one subscription per process on which every message to it arrives,
 * and a publication to each peer it talks to. {@link Peers} say where each rank listens: IPC
 * streams on one host (all processes share one media driver), UDP endpoints across hosts. An
 * embedded media driver is started unless a directory of a running one is given.
 *
 * <p>Publications are Aeron's concurrent kind: the heartbeat timer thread and the run's thread may
 * offer at once. Polling is the run's thread only.
 */
final class TileTransport implements AutoCloseable {
    /** A message handler: the buffer holds one whole (reassembled) message at {@code offset}. */
    interface Handler {
        void onMessage(DirectBuffer buffer, int offset, int length);
    }

    private final MediaDriver driver;
    private final Aeron aeron;
    private final Subscription subscription;
    private final java.util.Map<Peers.Endpoint, Publication> publications = new java.util.concurrent.ConcurrentHashMap<>();
    private final IdleStrategy idle = new BackoffIdleStrategy(50, 20, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MICROSECONDS.toNanos(200));
    private Handler handler;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);

    /**
     * @param me        where this process listens
     * @param aeronDir  the directory of a running media driver, or null to start one in this process
     */
    TileTransport(Peers.Endpoint me, Path aeronDir) {
        if (aeronDir == null) {
            // Shared threading with a backing-off idle strategy: the driver must not take a core
            // of its own from the solver on a small machine.
            this.driver = MediaDriver.launchEmbedded(new MediaDriver.Context()
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
                            TimeUnit.MICROSECONDS.toNanos(100)))
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true)
                    .termBufferSparseFile(true));
        } else {
            this.driver = null;
        }
        String dir = driver != null ? driver.aeronDirectoryName() : aeronDir.toString();
        this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir));
        this.subscription = aeron.addSubscription(me.channel(), me.stream());
    }

    /** The media driver directory this transport uses (a gatherer on the same host can share it). */
    String aeronDirectory() {
        return aeron.context().aeronDirectoryName();
    }

    private Publication publication(Peers.Endpoint to) {
        return publications.computeIfAbsent(to, e -> aeron.addPublication(e.channel(), e.stream()));
    }

    /**
     * Offers a message to {@code rank}, retrying while it is back-pressured or not yet connected,
     * until {@code deadline} (System.nanoTime): returns false if it could not be sent by then.
     */
    boolean send(Peers.Endpoint to, DirectBuffer buffer, int length, long deadline) {
        Publication p = publication(to);
        idle.reset();
        while (true) {
            long r = p.offer(buffer, 0, length);
            if (r > 0) {
                return true;
            }
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                return false;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            idle.idle();
        }
    }

    /** Sends once, without waiting: for heartbeats and notices (lost if the peer is not there). */
    boolean trySend(Peers.Endpoint to, DirectBuffer buffer, int length) {
        return publication(to).offer(buffer, 0, length) > 0;
    }

    /** Delivers waiting messages to {@code h}; returns how many fragments were read. */
    int poll(Handler h) {
        this.handler = h;
        return subscription.poll(assembler, 64);
    }

    /** Idles briefly (spin, yield, then park up to 200 µs) while waiting for something to arrive. */
    void idle(int workCount) {
        idle.idle(workCount);
    }

    private void onFragment(DirectBuffer buffer, int offset, int length, io.aeron.logbuffer.Header header) {
        handler.onMessage(buffer, offset, length);
    }

    /** A buffer large enough for {@code bytes}. */
    static UnsafeBuffer buffer(int bytes) {
        return new UnsafeBuffer(new byte[Math.max(bytes, TileMessage.HEADER_LENGTH)]);
    }

    @Override
    public void close() {
        publications.values().forEach(Publication::close);
        subscription.close();
        aeron.close();
        if (driver != null) {
            driver.close();
        }
    }

    /** The smallest power-of-two term length that holds messages of {@code maxMessage} bytes (Aeron: term/8). */
    static int termLengthFor(long maxMessage) {
        long need = Math.max(64 * 1024, maxMessage * 8);
        long term = Long.highestOneBit(need - 1) << 1;
        if (term > 1L << 30) {
            throw new IllegalArgumentException("halo messages of " + maxMessage + " bytes exceed what Aeron carries"
                    + " (128 MiB); use more tiles");
        }
        return (int) term;
    }

}
