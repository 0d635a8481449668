package dev.heatgrid.tiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A tile that fails before its first step tells every other tile why (a {@link TileMessage#REFUSED}
 * message), so that they stop at once with its reason instead of waiting for it: up to the start
 * wait (60 s) in the handshake, the silence timeout after it. Like MPI_Abort, but it says why.
 *
 * <p>Best effort, and short: a peer that is not started yet or cannot be reached within
 * {@link #SEND_NANOS} is not told and stops at its own wait, as it would have without this. The
 * sender lingers {@link #LINGER_NANOS} after the last offer, lending its thread to an embedded
 * driver, so that the message leaves (and is sent again if a peer asks) before the process ends.
 */
final class Refusal {
    /** How long a refusing tile tries to reach peers that are not connected yet. */
    static final long SEND_NANOS = 2_000_000_000L;
    /** How long it keeps the driver going after the last offer: the message leaves, and is sent again if lost. */
    static final long LINGER_NANOS = 200_000_000L;
    /** Characters of a reason sent: one message, well within what the smallest term carries. */
    private static final int MAX_REASON = 2000;

    private Refusal() {
    }

    /**
     * Tells every other rank, over a transport of this tile's. Never throws: it runs while a failure
     * is on its way up, and that failure is what the caller reports.
     */
    static void tell(TileTransport transport, Peers peers, int rank, long runId, String reason) {
        try {
            byte[] text = oneLine(reason).getBytes(StandardCharsets.UTF_8);
            UnsafeBuffer b = TileTransport.buffer(TileMessage.length(text.length, 0));
            TileMessage.writeHeader(b, TileMessage.REFUSED, runId, rank, -1, 0, 0, -1, text.length, 0, 0);
            int length = TileMessage.writeControl(b, text);
            var told = new BitSet(peers.size());
            told.set(rank); // a rank of the list: TileRun checked it, the other tell() too
            long deadline = System.nanoTime() + SEND_NANOS;
            transport.resetIdle();
            // Every peer in turn, once per pass: one not listening yet must not keep the others from being told.
            while (told.nextClearBit(0) < peers.size() && System.nanoTime() - deadline < 0) {
                for (int r = told.nextClearBit(0); r < peers.size(); r = told.nextClearBit(r + 1)) {
                    if (transport.offer(peers.endpoint(r), b, length)) {
                        told.set(r);
                    }
                }
                transport.idle(transport.poll(Refusal::ignore));
            }
            long lingerEnd = System.nanoTime() + LINGER_NANOS;
            while (System.nanoTime() - lingerEnd < 0) {
                transport.idle(transport.poll(Refusal::ignore));
            }
        } catch (RuntimeException e) {
            // Aeron refused a publication (the peers stop at their own wait, as without this).
        }
    }

    /**
     * Tells every other rank of {@code hostPorts} from a transport opened for this (one that only
     * sends): for a tile that failed before it could listen. Never throws, like the other.
     */
    static void tell(List<String> hostPorts, int rank, Path aeronDir, String reason) {
        if (rank < 0 || rank >= hostPorts.size()) {
            return; // not a rank of this list: every tile drops a message from a sender it does not know
        }
        Peers peers;
        try {
            peers = Peers.udp(hostPorts, TileTransport.termLengthFor(0));
        } catch (RuntimeException e) {
            return; // a peer list that does not parse names no one to tell
        }
        try (TileTransport transport = new TileTransport(null, aeronDir)) {
            tell(transport, peers, rank, 0, reason);
        } catch (IOException | RuntimeException e) {
            // No transport (no driver in aeronDir): the peers stop at their own wait.
        }
    }

    /** What stops a tile that received the {@link TileMessage#REFUSED} message at {@code o}. */
    static TileRefusedException received(DirectBuffer b, int o, Peers peers) {
        int from = TileMessage.sender(b, o);
        return new TileRefusedException("tile " + from + " (" + peers.describe(from) + ") could not start: "
                + new String(TileMessage.control(b, o), StandardCharsets.UTF_8));
    }

    private static String oneLine(String reason) {
        String text = reason == null || reason.isBlank() ? "(no reason given)" : reason.strip();
        text = text.replaceAll("\\s*\\R\\s*", "; ");
        return text.length() <= MAX_REASON ? text : text.substring(0, MAX_REASON) + "...";
    }

    private static void ignore(DirectBuffer b, int o, int l) {
        // A refusing tile reads nothing: it only lends its thread to the driver while it polls.
    }
}
