package dev.heatgrid.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The start-up comparison of two tiles' descriptions, without processes: whichever of the two
 * compares, a difference must be found, so both refuse at start. A tile that accepted while its
 * peer refused would wait for halos that never come and report the peer lost, not the difference.
 */
class HandshakeTest {
    private static final Peers PEERS = Peers.ipc(2, 64 * 1024);

    @Test
    void aKeyOnlyThePeerHasIsADifferenceToo() {
        // Two builds of a plug-in: the newer one (rank 1) has a parameter the older one lacks.
        var older = description(0, Map.of("kernel", "gray-scott", "parameter feed", "0.04"));
        var newer = description(1, Map.of("kernel", "gray-scott", "parameter feed", "0.04", "parameter seed", "7"));
        var atOlder = assertThrows(IllegalArgumentException.class, () -> Handshake.compare(0, older, 1, newer, PEERS));
        assertEquals("tile 1 (IPC stream 7101) was started with parameter seed '7' but this tile (rank 0) with (none);"
                + " every tile of a run must be started with the same options", atOlder.getMessage());
        var atNewer = assertThrows(IllegalArgumentException.class, () -> Handshake.compare(1, newer, 0, older, PEERS));
        assertEquals("tile 0 (IPC stream 7100) was started with parameter seed (none) but this tile (rank 1) with '7';"
                + " every tile of a run must be started with the same options", atNewer.getMessage());
    }

    @Test
    void equalDescriptionsDifferOnlyInRankAndHeldSteps() {
        var a = description(0, Map.of("kernel", "ftcs", "held", "1,2"));
        var b = description(1, Map.of("kernel", "ftcs", "held", "2,3"));
        Handshake.compare(0, a, 1, b, PEERS);
        Handshake.compare(1, b, 0, a, PEERS);
    }

    private static Map<String, String> description(int rank, Map<String, String> keys) {
        var d = new LinkedHashMap<String, String>(new java.util.TreeMap<>(keys));
        d.put("rank", Integer.toString(rank));
        return d;
    }
}
