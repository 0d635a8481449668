package dev.heatgrid.solver.kernels;

import dev.heatgrid.solver.spi.Edge;
import dev.heatgrid.solver.spi.LineCarries;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * PX x PY "tiles" in one JVM, one thread each, whose line carries travel through in-memory
 * queues: the distributed line solve without processes or Aeron. Halos are read from the whole
 * grid's source, which the test sets before each step.
 */
final class InMemoryTiles {
    private record Message(int tag, double[] values) {
    }

    private final int px;
    private final int py;
    /** [tile][edge it came across] */
    private final BlockingQueue<Message>[][] inbox;
    private final int[] originX;
    private final int[] originY;
    private double[] source;
    private int globalNx;

    @SuppressWarnings("unchecked")
    InMemoryTiles(int px, int py, int[] originX, int[] originY) {
        this.px = px;
        this.py = py;
        this.originX = originX;
        this.originY = originY;
        this.inbox = new BlockingQueue[px * py][Edge.values().length];
        for (BlockingQueue<Message>[] row : inbox) {
            for (int e = 0; e < row.length; e++) {
                row[e] = new LinkedBlockingQueue<>();
            }
        }
    }

    /** The whole grid's source of the coming step (row-major, nx wide), for halos. */
    void source(double[] values, int nx) {
        this.source = values;
        this.globalNx = nx;
    }

    private int neighbour(int rank, Edge e) {
        int i = rank % px;
        int j = rank / px;
        return switch (e) {
            case WEST -> j * px + Math.floorMod(i - 1, px);
            case EAST -> j * px + Math.floorMod(i + 1, px);
            case SOUTH -> Math.floorMod(j - 1, py) * px + i;
            case NORTH -> Math.floorMod(j + 1, py) * px + i;
        };
    }

    LineCarries carries(int rank, int globalNy) {
        return new LineCarries() {
            @Override
            public void send(Edge toward, int tag, double[] values, int count) {
                inbox[neighbour(rank, toward)][toward.opposite().ordinal()].add(new Message(tag,
                        Arrays.copyOf(values, count)));
            }

            @Override
            public void receive(Edge from, int tag, double[] into, int count) {
                Message m;
                try {
                    m = inbox[rank][from.ordinal()].poll(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                if (m == null) {
                    throw new UncheckedIOException(new java.io.IOException("tile " + rank + ": nothing from " + from));
                }
                if (m.tag() != tag || m.values().length != count) {
                    throw new IllegalStateException("tile " + rank + " expected tag " + tag + " x" + count + " from " + from
                            + ", got " + m.tag() + " x" + m.values().length);
                }
                System.arraycopy(m.values(), 0, into, 0, count);
            }

            @Override
            public double halo(int f, int x, int y) {
                int gx = Math.floorMod(originX[rank] + x, globalNx);
                int gy = Math.floorMod(originY[rank] + y, globalNy);
                return source[gy * globalNx + gx];
            }
        };
    }

    /** Runs one task per tile, each on its own thread, and rethrows the first failure. */
    static void inParallel(int tiles, java.util.function.IntConsumer task) throws Exception {
        var failures = new java.util.concurrent.ConcurrentLinkedQueue<Throwable>();
        Thread[] threads = new Thread[tiles];
        for (int r = 0; r < tiles; r++) {
            int rank = r;
            threads[r] = Thread.ofPlatform().start(() -> {
                try {
                    task.accept(rank);
                } catch (Throwable t) {
                    failures.add(t);
                }
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            Throwable t = failures.peek();
            if (t instanceof Exception e) {
                throw e;
            }
            throw (Error) t;
        }
    }
}
