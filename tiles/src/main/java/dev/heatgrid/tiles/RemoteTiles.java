package dev.heatgrid.tiles;

import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SteeringCommand;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The tiles of a run on other hosts, asked over Aeron UDP: each tile's {@link GatherServer} answers
 * on its {@code --peers} endpoint; replies come back to this process's own endpoint ({@code --listen},
 * by default the address this host reaches the first tile from, on a free port). Uses a media
 * driver of its own.
 */
final class RemoteTiles implements TileFrames {
    /** How long a reply may take beyond the wait a request asks for (transfer, a busy tile). */
    private static final long REPLY_SLACK_NANOS = TimeUnit.SECONDS.toNanos(3);
    /** How long the first request waits for tile 0: what tiles give each other to start (TileRun's start wait). */
    private static final long START_WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** The driver keeper backs off to 2 ms: this thread runs the duty cycle while it awaits replies. */
    private static final long KEEPER_IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final EmbeddedDriver driver;
    private final Aeron aeron;
    private final Subscription replies;
    private final List<Publication> tiles = new ArrayList<>();
    private final List<String> peers;
    private final String replyChannel;
    private final UnsafeBuffer out = TileTransport.buffer(TileMessage.length(4096, 0));
    private long nextId = 1;

    /** @param listen HOST:PORT to receive replies on, or null for this host's address towards the first tile */
    RemoteTiles(List<String> peers, String listen) throws IOException {
        this.peers = List.copyOf(peers);
        this.driver = new EmbeddedDriver(e -> { }, KEEPER_IDLE_NANOS);
        try {
            this.aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.directory()));
            String where = listen != null ? listen : localAddressTowards(peers.getFirst()) + ":0";
            this.replies = aeron.addSubscription("aeron:udp?endpoint=" + where + GatherServer.REPLY_TERM,
                    GatherServer.REPLY_STREAM);
            String resolved = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while ((resolved = replies.resolvedEndpoint()) == null && System.nanoTime() < deadline) {
                driver.assist();
                Thread.onSpinWait();
            }
            if (resolved == null) {
                throw new IOException("could not listen for the tiles' replies at " + where);
            }
            this.replyChannel = "aeron:udp?endpoint=" + resolved + GatherServer.REPLY_TERM;
            for (String peer : peers) {
                tiles.add(aeron.addPublication("aeron:udp?endpoint=" + peer, GatherServer.REQUEST_STREAM));
            }
        } catch (IOException | RuntimeException e) {
            driver.close();
            throw e instanceof IOException io ? io : new IOException("cannot listen for the tiles: " + e.getMessage(), e);
        }
    }

    /** The local address the route to {@code hostPort} leaves from (no packet is sent). */
    private static String localAddressTowards(String hostPort) throws IOException {
        int colon = hostPort.lastIndexOf(':');
        try (DatagramSocket probe = new DatagramSocket()) {
            probe.connect(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
            return probe.getLocalAddress().getHostAddress();
        }
    }

    /** Where the tiles' replies arrive. */
    String replyChannel() {
        return replyChannel;
    }

    /**
     * Asks tile 0 for the run's description, waiting for it as long as tiles wait for each other at
     * start: a gatherer started together with the run (or before it) must not give up while the tile
     * JVMs are still starting.
     */
    @Override
    public Description describe() throws IOException {
        var received = new Map[1];
        long deadline = System.nanoTime() + START_WAIT_NANOS;
        while (received[0] == null && System.nanoTime() - deadline < 0) {
            if (!tiles.getFirst().isConnected()) { // nobody listens at tile 0's endpoint yet
                driver.assist();
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                continue;
            }
            long id = nextId++;
            request(0, id, -2, 0, Map.of());
            await(TimeUnit.SECONDS.toNanos(5), (b, o, l) -> {
                if (TileMessage.type(b, o) == TileMessage.DESCRIPTION && TileMessage.tick(b, o) == id) {
                    received[0] = TileMessage.parseLines(TileMessage.control(b, o));
                }
            }, () -> received[0] != null);
        }
        if (received[0] == null) {
            throw new IOException("tile 0 (" + peers.getFirst() + ") did not describe its run within "
                    + TimeUnit.NANOSECONDS.toSeconds(START_WAIT_NANOS) + " s: is it running (started with a peer list, so it"
                    + " answers gatherers), and can UDP reach it and come back to " + replyChannel + "?");
        }
        @SuppressWarnings("unchecked")
        Map<String, String> d = received[0];
        return new Description(Integer.parseInt(d.get("nx")), Integer.parseInt(d.get("ny")),
                List.of(d.get("fields").split(",")), Double.parseDouble(d.get("dx")), Double.parseDouble(d.get("dy")),
                Double.parseDouble(d.get("dt")), d.get("kernel"), d.get("boundary"), Integer.parseInt(d.get("tiles")),
                SegmentSpec.decodeParams(d.get("params")));
    }

    @Override
    public Fetch fetch(long atLeast, BlockSums sums, long waitNanos) throws IOException {
        Blocks blocks = sums.blocks();
        long id = nextId++;
        int n = peers.size();
        long[] steps = new long[n];
        Arrays.fill(steps, -1);
        // values still expected from each tile (all fields); -1 until its first part says how many
        long[] expected = new long[n];
        Arrays.fill(expected, -1);
        long[] got = new long[n];
        boolean[] missed = new boolean[n];
        double[] time = new double[1];
        String[] params = {""};
        int fields = sums.fieldCount();
        for (int t = 0; t < n; t++) {
            request(t, id, atLeast, TimeUnit.NANOSECONDS.toMillis(waitNanos), Map.of("fx", Integer.toString(blocks.fx()),
                    "fy", Integer.toString(blocks.fy())));
        }
        await(waitNanos + REPLY_SLACK_NANOS, (b, o, l) -> {
            if (TileMessage.type(b, o) != TileMessage.GATHER_PART || TileMessage.tick(b, o) != id) {
                return; // a late part of an earlier request
            }
            int t = TileMessage.sender(b, o);
            if (t < 0 || t >= n || missed[t]) {
                return;
            }
            Map<String, String> c = TileMessage.parseLines(TileMessage.control(b, o));
            long step = TileMessage.step(b, o);
            if (step < 0 || (steps[t] >= 0 && steps[t] != step)) {
                missed[t] = true;
                return;
            }
            int[] range = Arrays.stream(c.get("blocks").split(",")).mapToInt(Integer::parseInt).toArray();
            steps[t] = step;
            expected[t] = (long) range[2] * range[3] * fields;
            if (t == 0) {
                time[0] = Double.parseDouble(c.get("time"));
                params[0] = c.get("params");
            }
            int count = TileMessage.payloadCount(b, o);
            double[] values = new double[count];
            int at = TileMessage.payloadAt(b, o);
            for (int i = 0; i < count; i++) {
                values[i] = b.getDouble(at + i * Double.BYTES, java.nio.ByteOrder.LITTLE_ENDIAN);
            }
            sums.add((int) TileMessage.aux(b, o), range, values, Integer.parseInt(c.get("row")),
                    Integer.parseInt(c.get("rows")));
            got[t] += count;
        }, () -> {
            for (int t = 0; t < n; t++) {
                if (!missed[t] && (expected[t] < 0 || got[t] < expected[t])) {
                    return false;
                }
            }
            return true;
        });
        for (int t = 0; t < n; t++) {
            if (missed[t] || expected[t] < 0 || got[t] < expected[t]) {
                steps[t] = -1;
            }
        }
        return new Fetch(steps, time[0], params[0]);
    }

    @Override
    public Outcome steer(SteeringCommand command, Duration timeout) throws IOException {
        long id = nextId++;
        var lines = new LinkedHashMap<String, String>();
        lines.put("code", Integer.toString(command.rawCode()));
        lines.put("key", command.key());
        var args = new StringBuilder();
        for (double a : command.args()) {
            args.append(args.isEmpty() ? "" : ",").append(a);
        }
        lines.put("args", args.toString());
        lines.put("timeout", Long.toString(timeout.toMillis()));
        request(0, id, 0, 0, lines, TileMessage.STEER);
        Outcome[] outcome = new Outcome[1];
        await(timeout.toNanos() + REPLY_SLACK_NANOS, (b, o, l) -> {
            if (TileMessage.type(b, o) == TileMessage.STEER_RESULT && TileMessage.tick(b, o) == id) {
                String message = TileMessage.parseLines(TileMessage.control(b, o)).getOrDefault("message", "");
                int result = (int) TileMessage.aux(b, o);
                outcome[0] = new Outcome(result < 0 ? null
                        : new CommandRecord(command, TileMessage.step(b, o), 0, result), message);
            }
        }, () -> outcome[0] != null);
        if (outcome[0] == null) {
            throw new IOException("tile 0 (" + peers.getFirst() + ") did not answer within " + timeout.toMillis() + " ms");
        }
        if (outcome[0].record() == null) {
            throw new IOException(outcome[0].message());
        }
        return outcome[0];
    }

    private void request(int tile, long id, long step, long aux, Map<String, String> extra) throws IOException {
        request(tile, id, step, aux, extra, TileMessage.GATHER_REQUEST);
    }

    private void request(int tile, long id, long step, long aux, Map<String, String> extra, int type) throws IOException {
        var lines = new LinkedHashMap<String, String>();
        lines.put("reply", replyChannel);
        lines.putAll(extra);
        byte[] control = TileMessage.lines(lines);
        TileMessage.writeHeader(out, type, 0, -1, tile, id, step, 0, control.length, 0, aux);
        int length = TileMessage.writeControl(out, control);
        Publication p = tiles.get(tile);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (p.offer(out, 0, length) < 0) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("tile " + tile + " (" + peers.get(tile) + ") cannot be reached: is it running, with"
                        + " a peer list, and is UDP open between the hosts?");
            }
            driver.assist();
            Thread.onSpinWait();
        }
        driver.assist();
    }

    /** Polls replies into {@code handler} until {@code done} or {@code nanos} passed. */
    private void await(long nanos, TileTransport.Handler handler, java.util.function.BooleanSupplier done) {
        var assembler = new FragmentAssembler((b, o, l, h) -> {
            if (TileMessage.valid(b, o, l)) {
                handler.onMessage(b, o, l);
            }
        });
        long deadline = System.nanoTime() + nanos;
        var idle = new org.agrona.concurrent.BackoffIdleStrategy(100, 10, 1_000, 200_000);
        while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
            int work = driver.assist() + replies.poll(assembler, 64);
            idle.idle(work);
        }
    }

    @Override
    public void close() {
        aeron.close();
        driver.close();
    }
}
