package dev.heatgrid.tiles;

import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.SteeringCommand;
import dev.heatgrid.solver.StopReason;
import dev.heatgrid.solver.TileLink;
import dev.heatgrid.solver.TilePlacement;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One tile's side of a tiled run: the {@link TileLink} the solver's step loop calls. Every exchange
 * ("tick") sends each neighbour one message (the agreement's state, then the halo blocks it needs)
 * and waits for one message of the same tick from each neighbour; a neighbour may be one tick ahead
 * (it got everything it needed from us first), so its next message is kept for the next tick.
 *
 * <p>Liveness: a timer thread sends heartbeats to the neighbours, also during a long step. A
 * neighbour from which nothing (halo or heartbeat) arrived for the timeout while this tile waits is
 * lost: this tile tells every other tile (so tiles that do not border it stop with the same
 * message, not blaming their own neighbours) and stops. What the last heard message said about the
 * lost tile's newest published step is the last step every tile completed.
 */
final class TileMember implements TileLink {
    private static final long PAUSE_ROUND_NANOS = 2_000_000;

    private final TileLayout layout;
    private final int rank;
    private final TilePlacement placement;
    private final TileTransport transport;
    private final HaloBlocks halos;
    private final EdgeStrips strips;
    private final Agreement agreement;
    private final List<Integer> neighbours;
    private final Map<Integer, List<Direction>> blocksFrom = new HashMap<>();
    private final Map<Integer, List<Direction>> blocksTo = new HashMap<>();
    private final long timeoutNanos;
    private final Peers peers;
    private final UnsafeBuffer out;
    private final double[] payload;
    private final double[] incoming;
    private long runId;
    private LongSupplier published = () -> 0;

    private long tick;
    /** Per neighbour: the message of the next tick, if it came early. */
    private final Map<Integer, byte[]> early = new HashMap<>();
    private final long[] lastHeard;
    private final long[] lastPublished;
    private TileLostException fault;
    private final Thread heartbeat;
    private volatile boolean closing;

    TileMember(TileLayout layout, int rank, TileTransport transport, Peers peers, int radius, boolean[] evolving,
               Duration timeout) {
        this.layout = layout;
        this.rank = rank;
        this.placement = layout.placement(rank);
        this.transport = transport;
        this.peers = peers;
        this.halos = new HaloBlocks(layout, rank, radius, evolving.length);
        this.strips = new EdgeStrips(placement, halos, evolving);
        this.agreement = new Agreement(layout.tiles(), rank, layout.diameter());
        this.neighbours = List.copyOf(layout.neighbours(rank));
        this.timeoutNanos = timeout.toNanos();
        int most = 0;
        for (int n : neighbours) {
            blocksFrom.put(n, layout.directionsTo(rank, n));
            blocksTo.put(n, layout.directionsTo(n, rank));
            HaloBlocks theirs = new HaloBlocks(layout, n, radius, evolving.length);
            most = Math.max(most, Math.max(halos.size(blocksFrom.get(n)), theirs.size(blocksTo.get(n))));
        }
        this.payload = new double[most];
        this.incoming = new double[most];
        this.out = TileTransport.buffer(TileMessage.length(64 * 1024, most));
        this.lastHeard = new long[layout.tiles()];
        this.lastPublished = new long[layout.tiles()];
        long now = System.nanoTime();
        java.util.Arrays.fill(lastHeard, now);
        this.heartbeat = Thread.ofPlatform().daemon().name("heatgrid-tile-heartbeat").unstarted(this::beat);
    }

    /** Largest halo message this tile sends or receives, in bytes (for sizing Aeron terms). */
    static long largestMessage(TileLayout layout, int radius, int fields) {
        long most = 0;
        for (int r = 0; r < layout.tiles(); r++) {
            HaloBlocks h = new HaloBlocks(layout, r, radius, fields);
            for (int n : layout.neighbours(r)) {
                most = Math.max(most, h.size(layout.directionsTo(r, n)));
            }
        }
        return TileMessage.length(64 * 1024, (int) most);
    }

    /** Starts heart-beating under run {@code id}, the step published before the first exchange from {@code step}. */
    void start(long id, LongSupplier publishedStep) {
        this.runId = id;
        this.published = publishedStep;
        long now = System.nanoTime();
        java.util.Arrays.fill(lastHeard, now);
        heartbeat.start();
    }

    @Override
    public TilePlacement placement() {
        return placement;
    }

    @Override
    public Map<String, String> segmentParams() {
        return Map.of(TileRun.RUN_KEY, Long.toHexString(runId), TileRun.LAYOUT_KEY, layout.toString(),
                TileRun.RANK_KEY, Integer.toString(rank));
    }

    @Override
    public void prepare(Kernel kernel, KernelSetup tileSetup) {
        strips.prepare(kernel, tileSetup);
    }

    @Override
    public void exchange(long step, double time, List<MemorySegment> source) throws IOException {
        round(step, source);
        strips.compute(source, step, time);
    }

    @Override
    public void idle(long step) throws IOException {
        java.util.concurrent.locks.LockSupport.parkNanos(PAUSE_ROUND_NANOS);
        round(step, null);
    }

    /** One tick: send to every neighbour, receive from every neighbour, then decide what is due. */
    private void round(long step, List<MemorySegment> source) throws IOException {
        checkFault();
        byte[] control = agreement.encode();
        for (int n : neighbours) {
            int count = 0;
            if (source != null) {
                for (Direction d : blocksTo.get(n)) {
                    count = halos.pack(source, d, payload, count);
                }
            }
            TileMessage.writeHeader(out, TileMessage.HALO, runId, rank, n, tick, step, published.getAsLong(),
                    control.length, count, 0);
            int length = TileMessage.writeSections(out, control, payload, count);
            if (!transport.send(peers.endpoint(n), out, length, System.nanoTime() + timeoutNanos)) {
                throw lost(n, "could not be sent anything for " + seconds(timeoutNanos));
            }
        }
        var missing = new java.util.HashSet<>(neighbours);
        for (int n : neighbours) {
            byte[] kept = early.remove(n);
            if (kept != null) {
                accept(new UnsafeBuffer(kept), 0, n, step, source != null);
                missing.remove(n);
            }
        }
        while (!missing.isEmpty()) {
            int work = transport.poll((b, o, l) -> onMessage(b, o, l, step, source != null, missing));
            checkFault();
            if (work == 0) {
                long now = System.nanoTime();
                for (int n : missing) {
                    if (now - lastHeard[n] > timeoutNanos) {
                        throw lost(n, "sent nothing for " + seconds(now - lastHeard[n]));
                    }
                }
            }
            transport.idle(work);
        }
        agreement.decideAfter(tick);
        tick++;
    }

    private void onMessage(DirectBuffer b, int o, int length, long step, boolean nodes, java.util.Set<Integer> missing) {
        if (!TileMessage.valid(b, o, length) || TileMessage.run(b, o) != runId) {
            return; // not ours (another run's stale tile, a stray packet): ignore
        }
        int from = TileMessage.sender(b, o);
        if (from < 0 || from >= layout.tiles()) {
            return;
        }
        lastHeard[from] = System.nanoTime();
        switch (TileMessage.type(b, o)) {
            case TileMessage.HALO -> {
                long t = TileMessage.tick(b, o);
                if (t == tick && missing.remove(from)) {
                    try {
                        accept(b, o, from, step, nodes);
                    } catch (IOException e) {
                        fault = e instanceof TileLostException l ? l : new TileLostException(e.getMessage(), from, -1);
                    }
                } else if (t == tick + 1) {
                    byte[] copy = new byte[length];
                    b.getBytes(o, copy);
                    early.put(from, copy);
                } else {
                    fault = new TileLostException("tile " + from + " sent exchange " + t + " while this tile is at "
                            + tick + ": the tiles fell out of step", from, lastPublished[from]);
                }
            }
            case TileMessage.FAULT -> {
                String text = new String(TileMessage.control(b, o), StandardCharsets.UTF_8);
                fault = new TileLostException(text + " (reported by tile " + from + ")", (int) TileMessage.aux(b, o),
                        TileMessage.step(b, o));
            }
            case TileMessage.BYE -> {
                if (missing.contains(from)) {
                    fault = new TileLostException("tile " + from + " ended its run at step "
                            + TileMessage.step(b, o) + " while this tile is at step " + step, from,
                            TileMessage.published(b, o));
                }
            }
            default -> {
            }
        }
    }

    private void accept(DirectBuffer b, int o, int from, long step, boolean nodes) throws IOException {
        long theirStep = TileMessage.step(b, o);
        if (theirStep != step) {
            throw new TileLostException("tile " + from + " is at step " + theirStep + " in exchange " + tick
                    + " but this tile is at step " + step + ": the tiles fell out of step", from, lastPublished[from]);
        }
        lastPublished[from] = TileMessage.published(b, o);
        agreement.merge(TileMessage.control(b, o), step);
        int count = TileMessage.payloadCount(b, o);
        if (nodes) {
            if (count != halos.size(blocksFrom.get(from))) {
                throw new TileLostException("tile " + from + " sent " + count + " halo values, this tile needs "
                        + halos.size(blocksFrom.get(from)) + ": it runs another layout", from, lastPublished[from]);
            }
            TileMessage.payload(b, o, incoming);
            int at = 0;
            for (Direction d : blocksFrom.get(from)) {
                at = halos.unpack(d, incoming, at);
            }
        }
    }

    private void checkFault() throws TileLostException {
        if (fault != null) {
            throw fault;
        }
    }

    /** Names the lost tile, tells every other tile, and returns the exception that stops this one. */
    private TileLostException lost(int n, String what) {
        long common = Math.min(lastPublished[n], published.getAsLong());
        String text = "tile " + n + " (" + peers.describe(n) + ") lost: " + what + "; the last step every tile completed"
                + " is " + common;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        UnsafeBuffer notice = TileTransport.buffer(TileMessage.length(bytes.length, 0));
        TileMessage.writeHeader(notice, TileMessage.FAULT, runId, rank, -1, tick, common, published.getAsLong(),
                bytes.length, 0, n);
        int length = TileMessage.writeSections(notice, bytes, payload, 0);
        for (int r = 0; r < layout.tiles(); r++) {
            if (r != rank && r != n) {
                transport.trySend(peers.endpoint(r), notice, length);
            }
        }
        fault = new TileLostException(text, n, common);
        return fault;
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    @Override
    public void fix(List<MemorySegment> targets, int y0, int y1) {
        strips.fix(targets, y0, y1);
    }

    @Override
    public void judge(BiFunction<SteeringCommand, Long, CommandOutcome> judge) {
        agreement.judge(judge);
    }

    @Override
    public void propose(SteeringCommand command, long step) {
        agreement.propose(command, tick, step);
    }

    @Override
    public void proposeStop(StopReason reason, long step) {
        agreement.proposeStop(reason, tick, step);
    }

    @Override
    public List<Agreed> agreed() {
        var list = new ArrayList<Agreed>();
        for (Agreed a : agreement.takeDecided()) {
            SteeringCommand c = a.command();
            if (c != null && a.origin() != rank) {
                // Logged here too, under a seq no client of this segment can have been given:
                // the origin tile's rank + 1 in the top 16 bits (docs/FORMAT.md §7).
                c = new SteeringCommand(c.seq() | (long) (a.origin() + 1) << 48, c.code(), c.rawCode(), c.key(), c.args(),
                        c.posterPid());
            }
            list.add(new Agreed(c, a.origin(), a.refusal(), a.stop()));
        }
        return list;
    }

    /** Keeps a halo message that arrived before this tile finished its handshake, for tick 0. */
    void keepEarly(int from, byte[] message) {
        early.put(from, message);
    }

    /** Tick number of the next exchange. */
    long tick() {
        return tick;
    }

    /**
     * After a normal end: tells the neighbours this tile sends nothing more and waits (at most the
     * timeout) until they said the same, so no tile leaves while its last halo is still on the way.
     */
    void finish(long step) {
        UnsafeBuffer bye = TileTransport.buffer(TileMessage.HEADER_LENGTH);
        TileMessage.writeHeader(bye, TileMessage.BYE, runId, rank, -1, tick, step, published.getAsLong(), 0, 0, 0);
        var waiting = new java.util.HashSet<>(neighbours);
        long deadline = System.nanoTime() + timeoutNanos;
        for (int n : neighbours) {
            transport.send(peers.endpoint(n), bye, TileMessage.HEADER_LENGTH, deadline);
        }
        while (!waiting.isEmpty() && System.nanoTime() - deadline < 0) {
            int work = transport.poll((b, o, l) -> {
                if (TileMessage.valid(b, o, l) && TileMessage.run(b, o) == runId
                        && TileMessage.type(b, o) == TileMessage.BYE) {
                    waiting.remove(TileMessage.sender(b, o));
                }
            });
            transport.idle(work);
        }
    }

    private void beat() {
        UnsafeBuffer buffer = TileTransport.buffer(TileMessage.HEADER_LENGTH);
        long period = Math.max(10_000_000L, Math.min(200_000_000L, timeoutNanos / 10));
        while (!closing) {
            TileMessage.writeHeader(buffer, TileMessage.HEARTBEAT, runId, rank, -1, tick, 0, published.getAsLong(), 0, 0, 0);
            for (int n : neighbours) {
                transport.trySend(peers.endpoint(n), buffer, TileMessage.HEADER_LENGTH);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(period);
        }
    }

    @Override
    public void close() {
        closing = true;
        heartbeat.interrupt();
        strips.close();
    }
}
