package dev.heatgrid.tiles;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.TreeMap;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The start of a tiled run: every tile tells every other tile what it was asked to run (a text of
 * {@code key=value} lines), and refuses to start unless all agree, naming the first key that
 * differs and the two values. A tile keeps announcing itself until it heard from everyone and
 * everyone said they heard from everyone, so tiles started seconds apart on different hosts meet.
 * The run's id is rank 0's random nonce (or, on resume, the id stored in every tile's segment):
 * later messages carry it, so a stale tile of another run is never mistaken for a member.
 */
final class Handshake {
    private static final long ANNOUNCE_NANOS = 100_000_000;

    private Handshake() {
    }

    /**
     * Meets every other tile; returns every tile's description (rank 0's included) once all agree.
     *
     * @param mine   this tile's description; {@code held} (resume: steps its segment holds) may differ
     * @param nonce  random per process; rank 0's becomes the run id of a fresh run
     * @throws IllegalArgumentException a peer was started for another run (a {@link TileMismatchException}
     *                                  naming the difference), or says it is another rank
     * @throws java.io.IOException      not every tile answered within {@code wait}, or one said it
     *                                  cannot start ({@link TileRefusedException})
     */
    static Map<Integer, Map<String, String>> meet(TileTransport transport, Peers peers, int rank,
                                                   Map<String, String> mine, long nonce, Duration wait,
                                                   TileMember member) throws java.io.IOException {
        int tiles = peers.size();
        var seen = new TreeMap<Integer, Map<String, String>>();
        seen.put(rank, mine);
        var nonces = new long[tiles];
        nonces[rank] = nonce;
        var heard = new BitSet(tiles);
        heard.set(rank);
        var heardAll = new BitSet(tiles);
        long deadline = System.nanoTime() + wait.toNanos();
        long nextAnnounce = 0;
        int announcedHeard = 0;
        var refused = new TileRefusedException[1]; // set by the poll's handler
        while (true) {
            if (heard.cardinality() == tiles) {
                heardAll.set(rank);
            }
            boolean done = heardAll.cardinality() == tiles;
            long now = System.nanoTime();
            // Announce periodically (an announcement sent before a peer listened is lost), and at
            // once when this tile heard someone new: that peer learns it was heard without waiting.
            if (done || now - nextAnnounce >= 0 || heard.cardinality() != announcedHeard) {
                announce(transport, peers, rank, mine, nonce, heard);
                announcedHeard = heard.cardinality();
                nextAnnounce = now + ANNOUNCE_NANOS;
            }
            if (done) {
                break;
            }
            if (now - deadline > 0) {
                var silent = new StringBuilder();
                for (int r = 0; r < tiles; r++) {
                    if (!heard.get(r)) {
                        silent.append(silent.isEmpty() ? "" : ", ").append(r).append(" (").append(peers.describe(r))
                                .append(')');
                    }
                }
                throw new java.io.IOException("tiles " + (silent.isEmpty() ? "(all heard, not all confirmed)" : silent)
                        + " did not answer within " + wait.toSeconds() + " s: are they started, with the same peer list,"
                        + " and can UDP reach them (firewall)?");
            }
            int work = transport.poll((b, o, l) -> {
                if (!TileMessage.valid(b, o, l)) {
                    return;
                }
                int from = TileMessage.sender(b, o);
                if (from < 0 || from >= tiles || from == rank) {
                    return;
                }
                switch (TileMessage.type(b, o)) {
                    case TileMessage.HELLO -> {
                        Map<String, String> theirs = TileMessage.parseLines(TileMessage.control(b, o));
                        String heardBy = theirs.remove("heard");
                        seen.put(from, theirs);
                        nonces[from] = TileMessage.aux(b, o);
                        heard.set(from);
                        if ("all".equals(heardBy)) {
                            heardAll.set(from);
                        }
                    }
                    // A tile that finished first has begun: keep its tick 0.
                    case TileMessage.HALO -> member.keepEarly(from, b, o, l);
                    case TileMessage.REFUSED -> refused[0] = Refusal.received(b, o, peers);
                    default -> {
                    }
                }
            });
            if (refused[0] != null) {
                throw refused[0];
            }
            transport.checkHealthy();
            transport.idle(work);
        }
        for (var e : seen.entrySet()) {
            compare(rank, mine, e.getKey(), e.getValue(), peers);
        }
        seen.get(0).put("nonce", Long.toHexString(nonces[0]));
        return seen;
    }

    private static void announce(TileTransport transport, Peers peers, int rank, Map<String, String> mine, long nonce,
                                 BitSet heard) {
        var lines = new LinkedHashMap<>(mine);
        lines.put("heard", heard.cardinality() == peers.size() ? "all" : "some");
        byte[] bytes = TileMessage.lines(lines);
        UnsafeBuffer b = TileTransport.buffer(TileMessage.length(bytes.length, 0));
        TileMessage.writeHeader(b, TileMessage.HELLO, 0, rank, -1, 0, 0, 0, bytes.length, 0, nonce);
        int length = TileMessage.writeControl(b, bytes);
        for (int r = 0; r < peers.size(); r++) {
            if (r != rank) {
                transport.offer(peers.endpoint(r), b, length);
            }
        }
    }

    /**
     * Refuses a peer whose description differs in anything but the keys that may differ. Keys only
     * the peer has count too: otherwise the tile lacking one would accept while the peer refuses.
     */
    static void compare(int rank, Map<String, String> mine, int other, Map<String, String> theirs, Peers peers) {
        var keys = new LinkedHashSet<>(mine.keySet()); // this tile's order first: the first difference named is stable
        keys.addAll(theirs.keySet());
        for (String key : keys) {
            if (key.equals("rank") || key.equals("held")) {
                continue;
            }
            String a = mine.get(key);
            String b = theirs.get(key);
            if (!java.util.Objects.equals(a, b)) {
                throw new TileMismatchException("tile " + other + " (" + peers.describe(other) + ") was started with "
                        + key + " " + quoted(b) + " but this tile (rank " + rank + ") with " + quoted(a)
                        + "; every tile of a run must be started with the same options");
            }
        }
        String claimed = theirs.get("rank");
        if (claimed == null || Integer.parseInt(claimed) != other) {
            throw new IllegalArgumentException("the process at " + peers.describe(other) + " says it is rank " + claimed
                    + ", but the peer list names it rank " + other);
        }
    }

    private static String quoted(String value) {
        return value == null ? "(none)" : "'" + value + "'";
    }
}
