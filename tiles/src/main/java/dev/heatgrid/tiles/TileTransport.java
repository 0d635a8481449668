package dev.heatgrid.tiles;

import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import io.aeron.exceptions.AeronException;
import io.aeron.exceptions.RegistrationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
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

    private final EmbeddedDriver driver;
    private final Aeron aeron;
    /** Where messages to this process arrive; null for a transport that only sends. */
    private final Subscription subscription;
    private final java.util.Map<Peers.Endpoint, Publication> publications = new java.util.concurrent.ConcurrentHashMap<>();
    private final IdleStrategy idle = new BackoffIdleStrategy(50, 20, TimeUnit.MICROSECONDS.toNanos(1),
            TimeUnit.MICROSECONDS.toNanos(200));
    private Handler handler;
    private final FragmentAssembler assembler = new FragmentAssembler(this::onFragment);
    /** The first error Aeron reported from its own threads (a driver gone, a client timed out). */
    private volatile Throwable failure;

    /** A tile's driver keeper backs off to 100 µs: next to nothing while the tile computes. */
    private static final long KEEPER_IDLE_NANOS = TimeUnit.MICROSECONDS.toNanos(100);

    /**
     * @param me        where this process listens; null for a transport that only sends: a tile that
     *                  failed before it could listen still tells its peers so ({@link Refusal})
     * @param aeronDir  the directory of a running media driver, or null to start one in this process
     * @throws IOException if it cannot listen there (not an address of this host, port in use) or
     *                     no media driver runs in {@code aeronDir}
     */
    TileTransport(Peers.Endpoint me, Path aeronDir) throws IOException {
        ErrorHandler record = e -> {
            // Warnings (e.g. a send that failed while a link is down) are Aeron's to recover from;
            // a lost peer is this layer's business (silence timeout).
            boolean warning = e instanceof AeronException a && a.category() == AeronException.Category.WARN;
            if (failure == null && !warning) {
                failure = e;
            }
        };
        if (aeronDir != null) {
            RunningDriver.require(aeronDir);
        }
        this.driver = aeronDir == null ? new EmbeddedDriver(record, KEEPER_IDLE_NANOS) : null;
        String dir = driver != null ? driver.directory() : aeronDir.toString();
        Aeron client = null;
        try {
            client = Aeron.connect(new Aeron.Context().aeronDirectoryName(dir).errorHandler(record));
            this.aeron = client;
            this.subscription = me == null ? null : aeron.addSubscription(me.channel(), me.stream());
        } catch (RegistrationException e) {
            closeQuietly(client);
            throw new IOException("cannot listen at " + me.label() + " (" + me.channel() + "): " + e.getMessage()
                    + "; is it an address of this host, and is the port free? (the peer list names where each rank listens,"
                    + " in rank order)");
        } catch (RuntimeException e) {
            closeQuietly(client);
            throw new IOException("no Aeron media driver answers in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** After a failed start: closes what was started. */
    private void closeQuietly(Aeron client) {
        if (client != null) {
            client.close();
        }
        if (driver != null) {
            driver.close();
        }
    }

    /** A media driver's error handler that says each error in one line instead of a stack trace. */
    static ErrorHandler quietErrors(Consumer<String> report) {
        return e -> report.accept("Aeron media driver: " + e);
    }

    /** Throws if Aeron reported an error from its own threads (the transport is no longer usable). */
    void checkHealthy() throws IOException {
        Throwable f = failure;
        if (f != null) {
            throw new IOException("the Aeron transport failed: " + f.getMessage(), f);
        }
    }

    /** The Aeron client, for a tile's {@link GatherServer}. */
    Aeron aeron() {
        return aeron;
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
                assistDriver();
                return true;
            }
            if (r == Publication.CLOSED || r == Publication.MAX_POSITION_EXCEEDED) {
                return false;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            assistDriver();
            idle.idle();
        }
    }

    /**
     * Offers once; false if back-pressured, not connected or closed (see {@link #send} to retry).
     * Heartbeats and notices are offered once: lost if the peer is not there.
     */
    boolean offer(Peers.Endpoint to, DirectBuffer buffer, int length) {
        if (publication(to).offer(buffer, 0, length) > 0) {
            assistDriver(); // out at once, not when a driver thread next wakes
            return true;
        }
        return false;
    }

    /** Lends this thread to an embedded driver for one duty cycle (none with a standalone driver). */
    private void assistDriver() {
        if (driver != null) {
            driver.assist();
        }
    }

    /** Resets the idle strategy's back-off before a new wait. */
    void resetIdle() {
        idle.reset();
    }


    /** Delivers waiting messages to {@code h}; returns how many fragments were read. */
    int poll(Handler h) {
        this.handler = h;
        assistDriver(); // takes in what arrived for this process
        return subscription == null ? 0 : subscription.poll(assembler, 64);
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
        if (subscription != null) {
            subscription.close();
        }
        aeron.close();
        if (driver != null) {
            driver.close();
        }
    }

    /**
     * A power-of-two term length for messages of up to {@code maxMessage} bytes: Aeron carries
     * messages of up to term/8, and a publication may run term/2 ahead of its subscriber before it
     * is back-pressured; with 16 messages per term that window holds 8 exchanges, so the media
     * driver, which moves the window on only when its (idling) conductor wakes, never holds a tile back.
     */
    static int termLengthFor(long maxMessage) {
        long term = powerOfTwoAtLeast(Math.max(64 * 1024, maxMessage * 16));
        if (term > MAX_TERM) {
            term = powerOfTwoAtLeast(maxMessage * 8); // fewer exchanges in flight, but it fits
        }
        if (term > MAX_TERM) {
            throw new IllegalArgumentException("halo messages of " + maxMessage + " bytes exceed what Aeron carries"
                    + " (" + (MAX_TERM / 8 >> 20) + " MiB); use more tiles");
        }
        return (int) term;
    }

    private static final long MAX_TERM = 1L << 30;

    private static long powerOfTwoAtLeast(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

}
