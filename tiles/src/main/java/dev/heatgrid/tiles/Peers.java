package dev.heatgrid.tiles;

import java.util.List;

/**
 * Where every tile of a run listens: on one host an Aeron IPC stream per rank (all processes share
 * one media driver), across hosts a UDP endpoint per rank from the peer list (static membership,
 * like an MPI host file: rank r is the r-th entry).
 */
final class Peers {
    /** Base stream id; a tile listens on BASE + rank over IPC, BASE over UDP. */
    static final int STREAM = 7100;

    /** An Aeron channel and stream, and how to name it in a message. */
    record Endpoint(String channel, int stream, String label) {
    }

    private final List<Endpoint> endpoints;

    private Peers(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
    }

    /**
     * Largest IPC fragment Aeron allows (its UDP payload limit, a multiple of 32): a halo message of
     * up to this size crosses as one fragment, read in place, where the default MTU (1408) would cut
     * a 32 KiB halo into 24 fragments for the subscriber to reassemble by copying.
     */
    static final int IPC_MTU = 65_504;

    static Peers ipc(int tiles, int termLength) {
        var list = new java.util.ArrayList<Endpoint>();
        int mtu = Math.min(IPC_MTU, termLength / 8 / 32 * 32);
        for (int r = 0; r < tiles; r++) {
            list.add(new Endpoint("aeron:ipc?term-length=" + termLength + "|mtu=" + mtu, STREAM + r,
                    "IPC stream " + (STREAM + r)));
        }
        return new Peers(list);
    }

    static Peers udp(List<String> hostPorts, int termLength) {
        var list = new java.util.ArrayList<Endpoint>();
        for (String hp : hostPorts) {
            list.add(udpEndpoint(hp, termLength));
        }
        return new Peers(list);
    }

    static Endpoint udpEndpoint(String hostPort, int termLength) {
        return new Endpoint("aeron:udp?endpoint=" + hostPort + "|term-length=" + termLength, STREAM, hostPort);
    }

    /** Checks and splits {@code HOST:PORT,HOST:PORT,...}; a bad item is named in the message (the caller names the list). */
    static List<String> parse(String text) {
        var list = new java.util.ArrayList<String>();
        for (String item : text.split(",")) {
            String hp = item.strip();
            int colon = hp.lastIndexOf(':');
            int port = -1;
            try {
                port = colon > 0 ? Integer.parseInt(hp.substring(colon + 1)) : -1;
            } catch (NumberFormatException e) {
                // reported below
            }
            if (colon <= 0 || port < 1 || port > 65535) {
                throw new IllegalArgumentException("'" + hp + "' is not HOST:PORT (port 1..65535)");
            }
            if (list.contains(hp)) {
                throw new IllegalArgumentException(hp + " is listed twice");
            }
            list.add(hp);
        }
        return list;
    }

    int size() {
        return endpoints.size();
    }

    Endpoint endpoint(int rank) {
        return endpoints.get(rank);
    }

    String describe(int rank) {
        return endpoints.get(rank).label();
    }
}
