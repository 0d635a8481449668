package dev.heatgrid.tiles;

import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.SteeringCommand;
import dev.heatgrid.solver.StopReason;
import dev.heatgrid.solver.TileLink;
import dev.heatgrid.solver.TilePlacement;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Edge;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.LineCarries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One tile's side of a tiled run: the {@link TileLink} the solver's step loop calls. Every exchange
 * ("tick") sends each neighbour one message (the agreement's state, then the halo blocks it needs)
 * and waits for one message of the same tick from each neighbour; a neighbour may be one tick ahead
 * (it got everything it needed from us first), so its next message is kept for the next tick. A
 * round allocates nothing while nothing is being agreed on: it runs every step.
 *
 * <p>Liveness: a timer thread sends heartbeats to the neighbours, also during a long step. A
 * neighbour from which nothing (halo or heartbeat) arrived for the timeout while this tile waits is
 * lost. This tile then tells every tile (the lost one too: it may only be stopped or cut off) and
 * gathers, for a short while, the notices of the other survivors, each carrying the newest step its
 * sender published and what it last heard of the lost tile's: their minimum is the last step every
 * tile completed, named in the message that stops every survivor.
 *
 * <p>A kernel that solves along whole lines ({@link Kernel#solvesLinesAcrossTiles}) also trades
 * carries with the neighbours along its lines in the middle of a pass ({@link #carries}); it needs
 * no edge strips (it computes its edge nodes exactly itself), only the halo's nodes beyond the edge.
 * Waiting for a carry follows the halo wait's rules: a neighbour silent for the timeout is lost.
 */
final class TileMember implements TileLink {
    private static final long PAUSE_ROUND_NANOS = 2_000_000;
    /** How long a tile that stops for a lost tile waits for the other survivors' notices. */
    private static final long SETTLE_NANOS = 1_000_000_000L;
    /** Room for the agreement's state in every message. */
    static final int MAX_CONTROL = 16 * 1024;
    private static final byte[] NO_CONTROL = new byte[0];
    /**
     * The most values a line solve may send in one message (adi sends two per line of a 64-line
     * chunk): 4 KiB, within the eighth of the smallest term (64 KiB) that Aeron carries in one message.
     */
    static final int MAX_CARRY_VALUES = 512;
    /** {@link #waitTurn}'s slot for "every neighbour whose halo is missing". */
    private static final int EVERY_MISSING = -1;

    private final TileLayout layout;
    private final int rank;
    private final TilePlacement placement;
    private final TileTransport transport;
    private final Peers peers;
    private final HaloBlocks halos;
    private final EdgeStrips strips;
    private final Agreement agreement;
    private final long timeoutNanos;
    private final HaloStatistics statistics = new HaloStatistics();
    /** Whether the kernel continues its line solves across tiles (no strips, carries during a pass). */
    private boolean lineSolves;
    private final CarryInbox carryInbox;
    private final UnsafeBuffer carryOut;
    private final LineCarries carries = new Carries();
    /** Whether a round is under way (a halo of the current tick outside one belongs to the next round). */
    private boolean inRound;

    /** The neighbours in direction order of first appearance; everything below is indexed by slot. */
    private final int[] neighbours;
    /** rank -> slot in {@link #neighbours}, or -1. */
    private final int[] slotOf;
    private final Direction[][] blocksFrom;
    private final Direction[][] blocksTo;
    /** Halo doubles each neighbour sends this tile. */
    private final int[] valuesFrom;
    private final UnsafeBuffer out;
    /** A neighbour's message of the next tick, if it came early. */
    private final UnsafeBuffer[] early;
    private final boolean[] hasEarly;
    private final boolean[] missing;
    private int missingCount;

    private long runId;
    /** The newest step this tile published; -1 until its segment exists (read by the heartbeat thread too). */
    private volatile LongSupplier published = () -> -1;
    /**
     * The exchange count. Written by the stepping thread only; the heartbeat thread reads it plainly
     * (a torn or stale value is harmless: receivers ignore a heartbeat's tick, it is informative only).
     */
    private long tick;
    /** The state the current round exchanges, and whether it carries nodes (not while paused). */
    private long roundStep;
    private boolean roundNodes;
    /** How long the current round took to send. */
    private long sendNanos;
    private final TileTransport.Handler onRoundMessage = this::onMessage;

    /** Per rank: when anything last came from it, and the newest step it said it had published (-1: none). */
    private final long[] lastHeard;
    private final long[] lastPublished;
    /** The tiles known to be lost, and what the first notice said about them. */
    private final BitSet lostTiles = new BitSet();
    private String lossCause;
    private int lossNoticedBy = -1;
    private TileLostException fault;
    /** A tile that failed before its first step said so: this one stops too, with its reason. */
    private TileRefusedException refused;
    private MaxDelta lastReduced;

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
        this.timeoutNanos = timeout.toNanos();
        this.neighbours = layout.neighbours(rank).stream().mapToInt(Integer::intValue).toArray();
        this.slotOf = new int[layout.tiles()];
        Arrays.fill(slotOf, -1);
        int n = neighbours.length;
        this.blocksFrom = new Direction[n][];
        this.blocksTo = new Direction[n][];
        this.valuesFrom = new int[n];
        this.early = new UnsafeBuffer[n];
        this.hasEarly = new boolean[n];
        this.missing = new boolean[n];
        int most = 0;
        for (int s = 0; s < n; s++) {
            int other = neighbours[s];
            slotOf[other] = s;
            blocksFrom[s] = layout.directionsTo(rank, other).toArray(Direction[]::new);
            blocksTo[s] = layout.directionsTo(other, rank).toArray(Direction[]::new);
            valuesFrom[s] = halos.size(List.of(blocksFrom[s]));
            most = Math.max(most, halos.size(List.of(blocksTo[s])));
            early[s] = TileTransport.buffer(TileMessage.length(MAX_CONTROL, valuesFrom[s]));
        }
        this.out = TileTransport.buffer(TileMessage.length(MAX_CONTROL, most));
        this.carryInbox = new CarryInbox(n);
        this.carryOut = TileTransport.buffer(TileMessage.length(0, MAX_CARRY_VALUES));
        this.lastHeard = new long[layout.tiles()];
        this.lastPublished = new long[layout.tiles()];
        Arrays.fill(lastHeard, System.nanoTime());
        Arrays.fill(lastPublished, -1);
        this.heartbeat = Thread.ofPlatform().daemon().name("heatgrid-tile-heartbeat").unstarted(this::beat);
    }

    /** Largest message any tile of the layout sends or receives, in bytes (for sizing Aeron terms). */
    static long largestMessage(TileLayout layout, int radius, int fields) {
        long most = 0;
        for (int r = 0; r < layout.tiles(); r++) {
            HaloBlocks h = new HaloBlocks(layout, r, radius, fields);
            for (int n : layout.neighbours(r)) {
                most = Math.max(most, h.size(layout.directionsTo(r, n)));
            }
        }
        return TileMessage.length(MAX_CONTROL, (int) most);
    }

    /**
     * Joins run {@code id}: every message from now on carries it, a new segment records it, and
     * heartbeats start (setting up a large tile may take longer than the silence timeout).
     */
    void join(long id) {
        this.runId = id;
        Arrays.fill(lastHeard, System.nanoTime());
        heartbeat.start();
    }

    /** The solver runs: {@code publishedStep} is the newest step this tile published. */
    void start(LongSupplier publishedStep) {
        this.published = publishedStep;
    }

    /** What the halo exchange cost so far. */
    HaloStatistics statistics() {
        return statistics;
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
    public Boundary globalBoundary() {
        return layout.boundary();
    }

    @Override
    public LineCarries carries() {
        return carries;
    }

    @Override
    public void prepare(Kernel kernel, KernelSetup tileSetup) {
        lineSolves = tileSetup.tileLines().isPresent(); // what the solver prepared the kernel with
        if (!lineSolves) {
            strips.prepare(kernel, tileSetup);
        }
    }

    @Override
    public void exchange(long step, double time, List<MemorySegment> source) throws IOException {
        long start = System.nanoTime();
        int bytes = round(step, source);
        long received = System.nanoTime();
        if (!lineSolves) {
            strips.compute(source, step, time);
        }
        statistics.record(sendNanos, received - start - sendNanos, System.nanoTime() - received, bytes);
    }

    @Override
    public void idle(long step) throws IOException {
        LockSupport.parkNanos(PAUSE_ROUND_NANOS);
        round(step, null);
    }

    /**
     * One tick: send this tile's message to every neighbour, take every neighbour's message of the
     * same tick, then decide what is due. The agreement's state goes out before anything of this
     * tick is merged into it, so news crosses exactly one tile per tick. Returns the bytes sent.
     */
    private int round(long step, List<MemorySegment> source) throws IOException {
        inRound = true;
        try {
            return roundTrip(step, source);
        } finally {
            inRound = false;
        }
    }

    private int roundTrip(long step, List<MemorySegment> source) throws IOException {
        checkFault();
        long start = System.nanoTime();
        byte[] control = agreement.busy() ? agreement.encode() : NO_CONTROL;
        if (control.length > MAX_CONTROL) {
            throw new IOException("the steering commands being agreed on need " + control.length + " bytes per message,"
                    + " more than the " + MAX_CONTROL + " a message has room for; post fewer at once");
        }
        roundStep = step;
        roundNodes = source != null;
        missingCount = neighbours.length;
        Arrays.fill(missing, true);
        for (int s = 0; s < neighbours.length; s++) {
            if (hasEarly[s]) {
                hasEarly[s] = false;
                missing[s] = false;
                missingCount--;
                accept(early[s], 0, s);
            }
        }
        int total = 0;
        for (int s = 0; s < neighbours.length; s++) {
            int payload = TileMessage.writeControl(out, control);
            int end = payload;
            if (source != null) {
                for (Direction d : blocksTo[s]) {
                    end = halos.pack(source, d, out, end);
                }
            }
            TileMessage.writeHeader(out, TileMessage.HALO, runId, rank, neighbours[s], tick, step, published.getAsLong(),
                    control.length, (end - payload) / Double.BYTES, 0);
            offer(s, end);
            total += end;
        }
        sendNanos = System.nanoTime() - start;
        while (missingCount > 0) {
            waitTurn(EVERY_MISSING);
        }
        agreement.decideAfter(tick);
        tick++;
        return total;
    }

    /**
     * One turn of waiting for neighbours' messages: reads what arrived, and gives up a neighbour
     * waited for that has been silent for the timeout (the one rule for halos and line carries).
     *
     * @param waitedSlot the neighbour slot waited for, or {@link #EVERY_MISSING}: every slot whose halo is missing
     */
    private void waitTurn(int waitedSlot) throws IOException {
        int work = transport.poll(onRoundMessage);
        checkFault();
        transport.checkHealthy();
        if (work == 0) {
            long now = System.nanoTime();
            for (int s = 0; s < neighbours.length; s++) {
                boolean waited = waitedSlot == EVERY_MISSING ? missing[s] : s == waitedSlot;
                if (waited && now - lastHeard[neighbours[s]] > timeoutNanos) {
                    throw lost(neighbours[s], "sent nothing for " + seconds(now - lastHeard[neighbours[s]]));
                }
            }
        }
        transport.idle(work);
    }

    /**
     * Offers the message in {@link #out} to neighbour slot {@code s}, retrying while it is
     * back-pressured or not connected, and reading what arrives meanwhile: a notice that a tile was
     * lost (or this one given up) must not wait behind a neighbour that no longer reads.
     */
    private void offer(int s, int length) throws IOException {
        offer(s, out, length);
    }

    private void offer(int s, UnsafeBuffer message, int length) throws IOException {
        int to = neighbours[s];
        long deadline = System.nanoTime() + timeoutNanos;
        transport.resetIdle();
        while (!transport.offer(peers.endpoint(to), message, length)) {
            int work = transport.poll(onRoundMessage);
            checkFault();
            transport.checkHealthy();
            if (System.nanoTime() - deadline > 0) {
                throw lost(to, "could not be sent anything for " + seconds(timeoutNanos));
            }
            transport.idle(work);
        }
    }

    private void onMessage(DirectBuffer b, int o, int length) {
        if (!TileMessage.valid(b, o, length)) {
            return;
        }
        int from = TileMessage.sender(b, o);
        if (from < 0 || from >= layout.tiles() || from == rank) {
            return;
        }
        long run = TileMessage.run(b, o);
        if (TileMessage.type(b, o) == TileMessage.REFUSED) {
            // Run id 0: the tile failed in the handshake, which this tile had already left.
            if ((run == runId || run == 0) && refused == null) {
                refused = Refusal.received(b, o, peers);
            }
            return;
        }
        if (run != runId) {
            return; // not ours (another run's stale tile, a stray packet): ignore
        }
        heard(from, TileMessage.published(b, o));
        switch (TileMessage.type(b, o)) {
            case TileMessage.HALO -> onHalo(b, o, length, from);
            case TileMessage.CARRY -> {
                int s = slotOf[from];
                if (s >= 0) {
                    carryInbox.add(s, b, o, length);
                }
            }
            case TileMessage.FAULT -> onFault(b, o, from);
            case TileMessage.BYE -> {
                int s = slotOf[from];
                if (s >= 0 && missing[s]) {
                    fault = new TileLostException("tile " + from + " ended its run at step " + TileMessage.step(b, o)
                            + " while this tile is at step " + roundStep, from, Math.min(roundStep,
                            TileMessage.published(b, o)));
                }
            }
            default -> {
            }
        }
    }

    private void heard(int from, long publishedStep) {
        lastHeard[from] = System.nanoTime();
        lastPublished[from] = Math.max(lastPublished[from], publishedStep);
    }

    private void onHalo(DirectBuffer b, int o, int length, int from) {
        int s = slotOf[from];
        if (s < 0 || fault != null) {
            return;
        }
        long t = TileMessage.tick(b, o);
        try {
            if (t == tick && missing[s]) {
                missing[s] = false;
                missingCount--;
                accept(b, o, s);
            } else if ((t == tick + 1 || (t == tick && !inRound)) && !hasEarly[s]) {
                // The next round's message: a neighbour done with its step while this tile, in the
                // middle of its own (waiting for a line carry), still polls.
                early[s].putBytes(0, b, o, length);
                hasEarly[s] = true;
            } else {
                throw new TileLostException("tile " + from + " sent exchange " + t + " while this tile is at exchange "
                        + tick + ": the tiles fell out of step", from, lastPublished[from]);
            }
        } catch (TileLostException e) {
            fault = e;
        } catch (IOException e) {
            fault = new TileLostException(e.getMessage(), from, lastPublished[from]);
        }
    }

    /** Takes neighbour slot {@code s}'s message of this tick: its agreement state and halo blocks. */
    private void accept(DirectBuffer b, int o, int s) throws IOException {
        int from = neighbours[s];
        long theirStep = TileMessage.step(b, o);
        if (theirStep != roundStep) {
            throw new TileLostException("tile " + from + " is at step " + theirStep + " in exchange " + tick
                    + " but this tile is at step " + roundStep + ": the tiles fell out of step", from, lastPublished[from]);
        }
        if (TileMessage.controlLength(b, o) > 0) {
            agreement.merge(TileMessage.control(b, o), roundStep);
        }
        int count = TileMessage.payloadCount(b, o);
        if (roundNodes) {
            if (count != valuesFrom[s]) {
                throw new TileLostException("tile " + from + " sent " + count + " halo values, this tile needs "
                        + valuesFrom[s] + ": it runs another layout", from, lastPublished[from]);
            }
            int at = TileMessage.payloadAt(b, o);
            for (Direction d : blocksFrom[s]) {
                at = halos.unpack(d, b, at);
            }
        }
    }

    /** Another tile says a tile was lost: stop too, naming it (or this tile, if it is the one they gave up on). */
    private void onFault(DirectBuffer b, int o, int from) {
        int lost = (int) TileMessage.aux(b, o);
        if (lost < 0 || lost >= layout.tiles() || fault != null) {
            return;
        }
        lostTiles.set(lost);
        if (lossCause == null) {
            lossCause = new String(TileMessage.control(b, o), StandardCharsets.UTF_8);
            lossNoticedBy = from;
        }
        long theirs = TileMessage.step(b, o);
        if (theirs >= 0 && lost != rank) {
            lastPublished[lost] = Math.max(lastPublished[lost], theirs);
        }
        fault = settle();
    }

    private void checkFault() throws IOException {
        if (refused != null) {
            throw refused;
        }
        if (fault != null) {
            throw fault;
        }
    }

    /** This tile gives up on neighbour {@code n}: tells every tile, and returns what stops this one. */
    private TileLostException lost(int n, String what) {
        lostTiles.set(n);
        lossCause = what;
        lossNoticedBy = rank;
        fault = settle();
        return fault;
    }

    /**
     * Sends this tile's notice of the loss to every tile, then waits (briefly) for the other
     * survivors' notices: the last step every tile completed is the minimum of what they published
     * and of what was last heard from the lost tiles.
     */
    private TileLostException settle() {
        int lost = lostTiles.nextSetBit(0);
        byte[] cause = lossCause.getBytes(StandardCharsets.UTF_8);
        UnsafeBuffer notice = TileTransport.buffer(TileMessage.length(cause.length, 0));
        int length = TileMessage.writeControl(notice, cause);
        TileMessage.writeHeader(notice, TileMessage.FAULT, runId, rank, -1, tick, lastPublished[lost],
                published.getAsLong(), cause.length, 0, lost);
        for (int r = 0; r < layout.tiles(); r++) {
            if (r != rank) {
                transport.offer(peers.endpoint(r), notice, length);
            }
        }
        var answered = new BitSet();
        answered.set(rank);
        long deadline = System.nanoTime() + Math.min(SETTLE_NANOS, timeoutNanos);
        while (!lostTiles.get(rank) && someSurvivorSilent(answered) && System.nanoTime() - deadline < 0) {
            int work = transport.poll((b, o, l) -> {
                if (TileMessage.valid(b, o, l) && TileMessage.run(b, o) == runId
                        && TileMessage.type(b, o) == TileMessage.FAULT) {
                    int from = TileMessage.sender(b, o);
                    int theirLost = (int) TileMessage.aux(b, o);
                    if (from >= 0 && from < layout.tiles() && theirLost >= 0 && theirLost < layout.tiles()) {
                        heard(from, TileMessage.published(b, o));
                        answered.set(from);
                        lostTiles.set(theirLost);
                        long step = TileMessage.step(b, o);
                        if (step >= 0) {
                            lastPublished[theirLost] = Math.max(lastPublished[theirLost], step);
                        }
                    }
                }
            });
            transport.idle(work);
        }
        long common = published.getAsLong();
        var silent = new StringBuilder();
        for (int r = 0; r < layout.tiles(); r++) {
            if (r == rank) {
                continue;
            }
            if (lastPublished[r] >= 0) {
                common = Math.min(common, lastPublished[r]);
            }
            if (!lostTiles.get(r) && !answered.get(r)) {
                silent.append(silent.isEmpty() ? "" : ", ").append(r);
            }
        }
        String text = describeLoss() + "; the last step every tile completed is " + common
                + (silent.isEmpty() ? "" : " (tiles " + silent + " did not confirm their steps)");
        return new TileLostException(text, lost, common);
    }

    /** Whether a tile that is not lost has not answered yet. */
    private boolean someSurvivorSilent(BitSet answered) {
        for (int r = 0; r < layout.tiles(); r++) {
            if (!lostTiles.get(r) && !answered.get(r)) {
                return true;
            }
        }
        return false;
    }

    private String describeLoss() {
        if (lostTiles.get(rank)) {
            return "this tile (rank " + rank + ") was given up by tile " + lossNoticedBy + ": " + lossCause;
        }
        var names = new StringBuilder();
        for (int r = lostTiles.nextSetBit(0); r >= 0; r = lostTiles.nextSetBit(r + 1)) {
            names.append(names.isEmpty() ? "" : ", ").append("tile ").append(r).append(" (").append(peers.describe(r))
                    .append(')');
        }
        return names + " lost: " + lossCause + (lossNoticedBy == rank ? "" : " (noticed by tile " + lossNoticedBy + ")");
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    @Override
    public void fix(List<MemorySegment> targets, int y0, int y1) {
        if (!lineSolves) {
            strips.fix(targets, y0, y1);
        }
    }

    /** The neighbour slot across {@code edge}: the tile that continues this tile's lines there. */
    private int slotAcross(Edge edge) {
        Direction d = switch (edge) {
            case WEST -> Direction.WEST;
            case EAST -> Direction.EAST;
            case SOUTH -> Direction.SOUTH;
            case NORTH -> Direction.NORTH;
        };
        var n = layout.neighbour(rank, d);
        if (n.isEmpty()) {
            throw new IllegalStateException("tile " + rank + " has no neighbour across its " + edge.label() + " edge");
        }
        return slotOf[n.getAsInt()];
    }

    /**
     * The line carries: sent at once, taken in order. They carry the tick of the exchange the step
     * follows ({@link #tick}, already counted on) and its step, checked on receipt like a halo's.
     */
    private final class Carries implements LineCarries {
        @Override
        public void send(Edge toward, int tag, double[] values, int count) {
            if (count > MAX_CARRY_VALUES) {
                throw new IllegalArgumentException(count + " carries in one message; at most " + MAX_CARRY_VALUES);
            }
            int s = slotAcross(toward);
            int at = TileMessage.writeControl(carryOut, NO_CONTROL);
            for (int i = 0; i < count; i++) {
                carryOut.putDouble(at + i * Double.BYTES, values[i], ByteOrder.LITTLE_ENDIAN);
            }
            TileMessage.writeHeader(carryOut, TileMessage.CARRY, runId, rank, neighbours[s], tick, roundStep,
                    published.getAsLong(), 0, count, tag);
            try {
                offer(s, carryOut, at + count * Double.BYTES);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void receive(Edge from, int tag, double[] into, int count) {
            int s = slotAcross(from);
            int n = neighbours[s];
            try {
                transport.resetIdle();
                while (carryInbox.peek(s) == null) {
                    waitTurn(s);
                }
                UnsafeBuffer m = carryInbox.peek(s);
                if (TileMessage.aux(m, 0) != tag || TileMessage.payloadCount(m, 0) != count
                        || TileMessage.tick(m, 0) != tick || TileMessage.step(m, 0) != roundStep) {
                    throw new TileLostException("tile " + n + " sent line carries " + TileMessage.aux(m, 0) + " x"
                            + TileMessage.payloadCount(m, 0) + " of step " + TileMessage.step(m, 0) + " while this tile"
                            + " waits for " + tag + " x" + count + " of step " + roundStep + ": the tiles fell out of step",
                            n, lastPublished[n]);
                }
                int at = TileMessage.payloadAt(m, 0);
                for (int i = 0; i < count; i++) {
                    into[i] = m.getDouble(at + i * Double.BYTES, ByteOrder.LITTLE_ENDIAN);
                }
                carryInbox.remove(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public double halo(int f, int x, int y) {
            return halos.node(f, x, y);
        }
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
        List<Agreed> decided = agreement.takeDecided();
        if (decided.isEmpty()) {
            return decided;
        }
        var list = new ArrayList<Agreed>(decided.size());
        for (Agreed a : decided) {
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

    @Override
    public void offerMaxDelta(long step, double maxDelta) {
        agreement.reduce(step, maxDelta, tick);
    }

    @Override
    public MaxDelta nextMaxDelta() {
        MaxDelta m = agreement.takeReduced();
        if (m != null) {
            lastReduced = m;
        }
        return m;
    }

    /** The reduction handed out last (a steady stop is decided on it), or null. */
    MaxDelta lastReduced() {
        return lastReduced;
    }

    /** Keeps a halo message that arrived before this tile finished its handshake, for tick 0. */
    void keepEarly(int from, DirectBuffer message, int offset, int length) {
        int s = slotOf[from];
        if (s >= 0 && !hasEarly[s]) {
            early[s].putBytes(0, message, offset, length);
            hasEarly[s] = true;
        }
    }

    /**
     * After a normal end: tells the neighbours this tile sends nothing more and waits (at most the
     * timeout) until they said the same, so no tile leaves while its last halo is still on the way.
     */
    void finish(long step) {
        UnsafeBuffer bye = TileTransport.buffer(TileMessage.HEADER_LENGTH);
        TileMessage.writeHeader(bye, TileMessage.BYE, runId, rank, -1, tick, step, published.getAsLong(), 0, 0, 0);
        var waiting = new BitSet();
        long deadline = System.nanoTime() + timeoutNanos;
        for (int n : neighbours) {
            waiting.set(n);
            transport.send(peers.endpoint(n), bye, TileMessage.HEADER_LENGTH, deadline);
        }
        while (!waiting.isEmpty() && System.nanoTime() - deadline < 0) {
            int work = transport.poll((b, o, l) -> {
                if (TileMessage.valid(b, o, l) && TileMessage.run(b, o) == runId
                        && TileMessage.type(b, o) == TileMessage.BYE) {
                    waiting.clear(TileMessage.sender(b, o));
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
                transport.offer(peers.endpoint(n), buffer, TileMessage.HEADER_LENGTH);
            }
            LockSupport.parkNanos(period);
        }
    }

    @Override
    public void close() {
        closing = true;
        heartbeat.interrupt();
        strips.close();
    }
}
