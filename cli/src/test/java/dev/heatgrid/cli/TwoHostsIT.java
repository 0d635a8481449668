package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tiled runs across two "hosts" (network namespaces joined by a veth pair, {@link TwoHosts}), started
 * once per rank with {@code --rank R --peers HOST:PORT,...}, halos over Aeron UDP: a 2x2 layout of
 * unequal tiles, two ranks per host; the same under 2 ms delay and 1% loss each way; a host cut off
 * mid-run (its link taken down), noticed by both sides within the timeout, and resumed on both. Every
 * result equals one process bit for bit. Skipped, saying why, only where {@code ip netns} is refused.
 */
class TwoHostsIT {
    private static final int PORT = 40_100;
    private final String name = TiledRuns.uniqueName("hosts");

    @BeforeAll
    static void requireNamespaces() {
        String refusal = TwoHosts.refusal();
        if (refusal != null) {
            System.out.println("TwoHostsIT skipped: " + refusal);
        }
        Assumptions.assumeTrue(refusal == null, () -> "TwoHostsIT skipped: " + refusal);
    }

    @AfterEach
    void removeSegments() throws Exception {
        TiledRuns.removeSegments(name);
    }

    @Test
    void unequalTilesOnTwoHostsEqualOneProcess() throws Exception {
        var problem = List.of("--size", "61x47", "--init", "random:21", "--boundary", "periodic", "--heater",
                "25,18,40,30,6", "--steps", "60", "--publish-every", "3");
        try (TwoHosts hosts = TwoHosts.direct()) {
            List<String> peers = List.of(TwoHosts.ADDRESS_A + ":" + PORT, TwoHosts.ADDRESS_A + ":" + (PORT + 1),
                    TwoHosts.ADDRESS_B + ":" + PORT, TwoHosts.ADDRESS_B + ":" + (PORT + 1));
            var ranks = startRanks(hosts, "2x2", peers, problem, List.of("--keep"));
            for (TiledRuns.Background r : ranks) {
                assertEquals(0, r.await(180), r.stderr() + r.stdout());
            }
            report("2x2 on two hosts", ranks.getFirst().stdout());
        }
        compareWithOneProcess(4, problem);
    }

    @Test
    void delayAndLossChangeNothing() throws Exception {
        int steps = TiledRuns.LONG ? 2000 : 150;
        var problem = List.of("--size", "40x36", "--init", "random:8", "--boundary",
                "west=periodic,east=periodic,north=dirichlet:3,south=neumann", "--steps", Integer.toString(steps));
        try (TwoHosts hosts = TwoHosts.impaired(2, 1)) {
            System.out.println("TwoHostsIT: link impaired by " + hosts.impairment());
            List<String> peers = List.of(TwoHosts.ADDRESS_A + ":" + PORT, TwoHosts.ADDRESS_B + ":" + PORT);
            var ranks = startRanks(hosts, "2x1", peers, problem, List.of("--keep"));
            for (TiledRuns.Background r : ranks) {
                assertEquals(0, r.await(600), r.stderr() + r.stdout());
            }
            report("2x1, " + hosts.impairment(), ranks.getFirst().stdout());
        }
        compareWithOneProcess(2, problem);
    }

    @Test
    void aHostCutOffIsNoticedAndTheRunResumes() throws Exception {
        var problem = List.of("--size", "40x36", "--init", "random:9", "--boundary", "periodic");
        try (TwoHosts hosts = TwoHosts.direct()) {
            List<String> peers = List.of(TwoHosts.ADDRESS_A + ":" + PORT, TwoHosts.ADDRESS_B + ":" + PORT);
            var forever = new ArrayList<>(problem);
            forever.addAll(List.of("--steps", "100000000"));
            var ranks = startRanks(hosts, "2x1", peers, forever, List.of("--timeout", "2s"));
            TiledRuns.awaitStep(name + ".t0", 40, ranks.get(0));
            TiledRuns.awaitStep(name + ".t1", 40, ranks.get(1));
            hosts.linkA(false);
            long cut = System.nanoTime();
            for (TiledRuns.Background r : ranks) {
                assertEquals(3, r.await(60), r.stderr());
            }
            long stoppedMillis = (System.nanoTime() - cut) / 1_000_000;
            assertTrue(ranks.get(0).stderr().contains("tile 1 (" + TwoHosts.ADDRESS_B + ":" + PORT + ") lost"),
                    ranks.get(0).stderr());
            assertTrue(ranks.get(1).stderr().contains("tile 0 (" + TwoHosts.ADDRESS_A + ":" + PORT + ") lost"),
                    ranks.get(1).stderr());
            System.out.println("TwoHostsIT: host a cut off; both hosts stopped " + stoppedMillis + " ms later (timeout 2 s)");
            hosts.linkA(true);
            var resumed = startRanks(hosts, "2x1", peers, List.of("--steps", "30"), List.of("--resume", "--keep"));
            for (TiledRuns.Background r : resumed) {
                assertEquals(0, r.await(180), r.stderr() + r.stdout());
            }
            long from = Long.parseLong(TiledRuns.find("resumed from step (\\d+)", resumed.getFirst().stdout()));
            var whole = new ArrayList<>(problem);
            whole.addAll(List.of("--steps", Long.toString(from + 30)));
            compareWithOneProcess(2, whole);
        }
    }

    /** Starts every rank, each on the host its --peers entry names. */
    private List<TiledRuns.Background> startRanks(TwoHosts hosts, String tiles, List<String> peers, List<String> problem,
                                                  List<String> extra) throws Exception {
        var started = new ArrayList<TiledRuns.Background>();
        for (int rank = 0; rank < peers.size(); rank++) {
            var args = new ArrayList<>(List.of("run", name, "--tiles", tiles, "--rank", Integer.toString(rank), "--peers",
                    String.join(",", peers), "--quiet", "--threads", "1"));
            args.addAll(problem);
            args.addAll(extra);
            String host = peers.get(rank).startsWith(TwoHosts.ADDRESS_A + ":") ? hosts.a() : hosts.b();
            started.add(TiledRuns.start(hosts.on(host), args));
        }
        return started;
    }

    private void compareWithOneProcess(int tiles, List<String> problem) throws Exception {
        var whole = new ArrayList<>(List.of("run", name + ".whole", "--keep", "--quiet", "--threads", "2"));
        whole.addAll(problem);
        var w = TiledRuns.exec(Duration.ofMinutes(3), whole);
        assertEquals(0, w.code(), w.toString());
        TiledRuns.assertTilesEqualWhole(name, tiles, name + ".whole");
    }

    private static void report(String what, String rank0Output) {
        for (String line : rank0Output.split("\n")) {
            if (line.contains("halo exchanges")) {
                System.out.println("TwoHostsIT: " + what + ": " + line.strip());
            }
        }
    }
}
