package dev.heatgrid.cli;

import dev.heatgrid.tiles.TileRun;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --peers HOST:PORT,...}: where the tiles of a run over several hosts listen (run and gather read the same list). */
final class PeersOption {
    @Option(names = "--peers", paramLabel = "HOST:PORT,...", description = "Where every tile listens (UDP), in rank"
            + " order, for tiles on several hosts: the same list for every tile (run --tiles --rank) and for gather.")
    String peers;

    boolean given() {
        return peers != null;
    }

    /** The endpoints, checked (exits 2 naming the bad entry); null when not given. */
    List<String> list() {
        if (peers == null) {
            return null;
        }
        try {
            return TileRun.parsePeers(peers);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--peers: " + e.getMessage());
        }
    }
}
