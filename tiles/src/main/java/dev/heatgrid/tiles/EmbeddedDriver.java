package dev.heatgrid.tiles;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentInvoker;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * A media driver inside a tile process, run by whoever has time: Aeron's invoker mode, its duty
 * cycle (send what was offered, receive datagrams, answer status and loss messages) invoked by a
 * keeper thread that backs off when idle, and also by the tile's own thread while it waits for a
 * halo ({@link #assist}). A tile then sends its halo the moment it offers it and picks up its
 * neighbour's the moment it arrives, instead of waiting for a parked driver thread to wake (a median
 * of 0.5 ms per exchange over loopback UDP on a loaded 2-core machine), and the keeper keeps the
 * driver going (heartbeats, retransmissions) while the tile computes a long step.
 */
final class EmbeddedDriver implements AutoCloseable {
    private final MediaDriver driver;
    private final AgentInvoker invoker;
    /** One thread at a time in the duty cycle (the invoker is not thread-safe). */
    private final ReentrantLock duty = new ReentrantLock();
    private final Thread keeper;
    /** The longest pause of the keeper thread when there is nothing to do. */
    private final long idleNanos;
    private volatile boolean closing;

    /**
     * @param idleNanos how long the keeper may pause when idle: short in a tile (heartbeats,
     *                  retransmissions while the tile computes), long in a gatherer, whose own thread
     *                  runs the duty cycle while it waits for replies; each wake-up of a third process
     *                  may preempt a tile on a host without a spare core
     */
    EmbeddedDriver(ErrorHandler errors, long idleNanos) {
        this.idleNanos = idleNanos;
        this.driver = MediaDriver.launch(new MediaDriver.Context()
                .aeronDirectoryName(DriverDirectory.next().toString())
                .threadingMode(ThreadingMode.INVOKER)
                .errorHandler(errors)
                .dirDeleteOnStart(true)
                .dirDeleteOnShutdown(true)
                .termBufferSparseFile(true));
        this.invoker = driver.sharedAgentInvoker();
        this.keeper = Thread.ofPlatform().daemon().name("heatgrid-aeron-driver").start(this::keep);
    }

    String directory() {
        return driver.aeronDirectoryName();
    }

    /** Runs one duty cycle unless another thread is running one; returns the work done. */
    int assist() {
        if (!duty.tryLock()) {
            return 0;
        }
        try {
            return invoker.invoke();
        } finally {
            duty.unlock();
        }
    }

    private void keep() {
        IdleStrategy idle = new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1), idleNanos);
        while (!closing) {
            idle.idle(assist());
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            keeper.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        duty.lock();
        try {
            driver.close();
        } finally {
            duty.unlock();
        }
    }
}
