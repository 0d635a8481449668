package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.SegmentNames;
import dev.heatgrid.tiles.TileRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Faults of tiled runs with real processes: a tile SIGKILLed or SIGSTOPped while the others step.
 * The survivors notice within the silence timeout, stop with exit code 3 naming the lost tile and
 * the last step every tile completed, and keep their segments; {@code run --resume} continues every
 * tile from the newest step all of them hold, and the result equals one uninterrupted process bit
 * for bit. Tiles started for different runs (grid, kernel parameters, boundary, heater) refuse each other at
 * start, naming the difference; the same parameters spelled differently are one run. A tile that
 * fails before its first step stops the others at once, with its reason.
 * With {@code -Ptiles-long} the kill is repeated at random moments, on random ranks, in two layouts,
 * and an adi tile is killed too.
 */
class TiledFaultIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Generous: JVMs on a loaded 2-core machine take a while to notice, print and exit. */
    private static final long EXIT_SLACK_MILLIS = 8_000;
    private static final List<String> PROBLEM = List.of("--size", "48x40", "--init", "random:11", "--boundary",
            "north=dirichlet:1,south=neumann,west=periodic,east=periodic", "--heater", "20,10,30,30,4");

    private final String name = TiledRuns.uniqueName("fault");

    @AfterEach
    void removeSegments() throws Exception {
        TiledRuns.removeSegments(name);
    }

    @Test
    void aKilledTileStopsTheOthersAndResumeEqualsOneProcess() throws Exception {
        int trials = TiledRuns.LONG ? 8 : 1;
        var random = new SplittableRandom(15);
        for (int trial = 0; trial < trials; trial++) {
            String tiles = trial % 2 == 0 ? "2x1" : "2x2";
            int count = tiles.equals("2x1") ? 2 : 4;
            int victim = trial == 0 ? 1 : random.nextInt(count);
            long killAfter = 30 + random.nextInt(300);
            killAndResume(name + "-" + trial, tiles, count, victim, killAfter);
        }
        if (TiledRuns.LONG) {
            // adi tiles also wait for each other in the middle of a step (line carries): the same rules.
            // In the default build tiles' LineCarriesTest gives up a silent neighbour's carry wait
            // deterministically; four more tile JVMs here cost 16 s of the build's budget.
            var adi = new ArrayList<>(PROBLEM);
            adi.addAll(List.of("--kernel", "adi"));
            killAndResume(name + "-adi", "2x2", 4, 3, 40, adi);
        }
    }

    private void killAndResume(String run, String tiles, int count, int victim, long killAfter) throws Exception {
        killAndResume(run, tiles, count, victim, killAfter, PROBLEM);
    }

    private void killAndResume(String run, String tiles, int count, int victim, long killAfter, List<String> problem)
            throws Exception {
        var args = new ArrayList<>(List.of("run", run, "--tiles", tiles, "--steps", "100000000", "--quiet",
                "--threads", "1", "--timeout", TIMEOUT.toMillis() + "ms"));
        args.addAll(problem);
        TiledRuns.Background launcher = TiledRuns.start(args);
        try {
            for (int t = 0; t < count; t++) {
                TiledRuns.awaitStep(run + ".t" + t, killAfter, launcher);
            }
            TiledRuns.signal(TiledRuns.tileOf(launcher.process(), victim), "KILL");
            long killed = System.nanoTime();
            int code = launcher.await(120);
            long stoppedMillis = (System.nanoTime() - killed) / 1_000_000;
            String err = launcher.stderr();
            assertEquals(3, code, err);
            assertTrue(err.contains("tile " + victim + " (IPC stream " + (7100 + victim) + ") lost: sent nothing for"), err);
            assertTrue(err.contains("was ended by signal 9 (SIGKILL)"), err);
            assertTrue(stoppedMillis < TIMEOUT.toMillis() + EXIT_SLACK_MILLIS, "the tiles stopped " + stoppedMillis
                    + " ms after the kill; timeout " + TIMEOUT.toMillis() + " ms");
            long common = Long.parseLong(TiledRuns.find("the last step every tile completed is (\\d+)", err));
            assertTrue(common >= killAfter, "common step " + common + " but every tile had published " + killAfter);
            for (int t = 0; t < count; t++) {
                assertTrue(Files.exists(SegmentNames.resolve(run + ".t" + t)), "tile " + t + "'s segment was kept");
            }
            System.out.printf("TiledFaultIT: %s, tile %d SIGKILLed after step %d: the others stopped after %d ms"
                    + " (timeout %d ms), naming step %d%n", tiles, victim, killAfter, stoppedMillis, TIMEOUT.toMillis(),
                    common);

            var resumed = TiledRuns.exec(Duration.ofMinutes(3), List.of("run", run, "--resume", "--tiles", tiles,
                    "--steps", "60", "--keep", "--quiet", "--threads", "1"));
            assertEquals(0, resumed.code(), resumed.toString());
            long from = Long.parseLong(TiledRuns.find("resumed from step (\\d+)", resumed.out()));
            assertTrue(from >= common, "resumed from " + from + ", before the common step " + common);
            assertTrue(from <= common + 1, "resumed from " + from + ", more than one step after the named common step "
                    + common);
            var whole = new ArrayList<>(List.of("run", run + ".whole", "--steps", Long.toString(from + 60), "--keep",
                    "--quiet", "--threads", "2"));
            whole.addAll(problem);
            var w = TiledRuns.exec(Duration.ofMinutes(3), whole);
            assertEquals(0, w.code(), w.toString());
            TiledRuns.assertTilesEqualWhole(run, count, run + ".whole");
        } finally {
            launcher.process().destroyForcibly();
            TiledRuns.removeSegments(run);
        }
    }

    @Test
    void aStoppedTileIsGivenUpLearnsItWhenItContinuesAndResumeEqualsOneProcess() throws Exception {
        var args = new ArrayList<>(List.of("run", name, "--tiles", "2x1", "--steps", "100000000", "--quiet",
                "--threads", "1", "--timeout", TIMEOUT.toMillis() + "ms"));
        args.addAll(PROBLEM);
        TiledRuns.Background launcher = TiledRuns.start(args);
        try {
            TiledRuns.awaitStep(name + ".t0", 50, launcher);
            TiledRuns.awaitStep(name + ".t1", 50, launcher);
            ProcessHandle stopped = TiledRuns.tileOf(launcher.process(), 1);
            ProcessHandle survivor = TiledRuns.tileOf(launcher.process(), 0);
            TiledRuns.signal(stopped, "STOP");
            long at = System.nanoTime();
            survivor.onExit().get(TIMEOUT.toMillis() + EXIT_SLACK_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
            long noticedMillis = (System.nanoTime() - at) / 1_000_000;
            TiledRuns.signal(stopped, "CONT");
            assertEquals(3, launcher.await(60), launcher.stderr());
            String err = launcher.stderr();
            assertTrue(err.contains("tile 0: tile 1 (IPC stream 7101) lost: sent nothing for"), err);
            assertTrue(err.contains("tile 1: this tile (rank 1) was given up by tile 0"), err);
            assertTrue(noticedMillis < TIMEOUT.toMillis() + EXIT_SLACK_MILLIS, "tile 0 stopped " + noticedMillis
                    + " ms after the stop; timeout " + TIMEOUT.toMillis() + " ms");
            long common = Long.parseLong(TiledRuns.find("the last step every tile completed is (\\d+)", err));
            assertTrue(common >= 50, "common step " + common + " but every tile had published 50");
            System.out.printf("TiledFaultIT: tile 1 SIGSTOPped: tile 0 stopped after %d ms (timeout %d ms), naming"
                    + " step %d%n", noticedMillis, TIMEOUT.toMillis(), common);
            var resumed = TiledRuns.exec(Duration.ofMinutes(3), List.of("run", name, "--resume", "--tiles", "2x1",
                    "--steps", "20", "--keep", "--quiet", "--threads", "1"));
            assertEquals(0, resumed.code(), resumed.toString());
            long from = Long.parseLong(TiledRuns.find("resumed from step (\\d+)", resumed.out()));
            assertTrue(from >= common && from <= common + 1, "resumed from " + from + ", named " + common);
            var whole = new ArrayList<>(List.of("run", name + ".whole", "--steps", Long.toString(from + 20), "--keep",
                    "--quiet", "--threads", "2"));
            whole.addAll(PROBLEM);
            var w = TiledRuns.exec(Duration.ofMinutes(3), whole);
            assertEquals(0, w.code(), w.toString());
            TiledRuns.assertTilesEqualWhole(name, 2, name + ".whole");
        } finally {
            launcher.process().destroyForcibly();
        }
    }

    @Test
    void tilesStartedDifferentlyRefuseEachOtherNamingTheDifference() throws Exception {
        var ranks = startRanks(List.of(), List.of("--size", "40x30"), List.of("--size", "40x32"));
        assertEquals(2, ranks[0].await(120), ranks[0].stderr());
        assertEquals(2, ranks[1].await(120), ranks[1].stderr());
        assertTrue(ranks[0].stderr().contains("tile 1 (127.0.0.1:" + ranks[1].port() + ") was started with grid '40x32' but"
                + " this tile (rank 0) with '40x30'"), ranks[0].stderr());
        assertTrue(ranks[1].stderr().contains("was started with grid '40x30' but this tile (rank 1) with '40x32'"),
                ranks[1].stderr());
    }

    @Test
    void tilesStartedWithOtherKernelParametersOrBoundariesRefuseEachOther() throws Exception {
        // The kernel's parameters as the kernel takes them, each named: not the command line's spelling.
        var alpha = startRanks(List.of("--size", "40x30"), List.of("--alpha", "0.5"), List.of("--param", "alpha=0.25"));
        assertRefused(alpha[0], "was started with parameter alpha '0.25' but this tile (rank 0) with '0.5'");
        assertRefused(alpha[1], "was started with parameter alpha '0.5' but this tile (rank 1) with '0.25'");
        // A default is a value too: a rank that leaves alpha out runs with 1.0, which the other did not ask for.
        var defaulted = startRanks(List.of("--size", "40x30"), List.of(), List.of("--alpha", "0.5"));
        assertRefused(defaulted[0], "was started with parameter alpha '0.5' but this tile (rank 0) with '1.0'");
        assertRefused(defaulted[1], "was started with parameter alpha '1.0' but this tile (rank 1) with '0.5'");
        var boundary = startRanks(List.of("--size", "40x30"), List.of("--boundary", "periodic"),
                List.of("--boundary", "north=periodic,south=periodic,west=neumann,east=neumann"));
        assertRefused(boundary[0], "was started with boundary 'north=periodic,south=periodic,west=neumann,east=neumann'"
                + " but this tile (rank 0) with 'periodic'");
        assertRefused(boundary[1], "but this tile (rank 1) with 'north=periodic,south=periodic,west=neumann,east=neumann'");
        var heater = startRanks(List.of("--size", "40x30"), List.of("--heater", "5,5,20,20,3"),
                List.of("--heater", "5,5,20,21,3"));
        assertRefused(heater[0], "was started with heater '5,5,20,21,3.0' but this tile (rank 0) with '5,5,20,20,3.0'");
        assertRefused(heater[1], "was started with heater '5,5,20,20,3.0' but this tile (rank 1) with '5,5,20,21,3.0'");
    }

    @Test
    void theSameParametersSpelledDifferentlyAreOneRun() throws Exception {
        // What the kernel is given counts, not how it was typed: these two ranks run the same problem.
        var ranks = startRanks(List.of("--size", "40x30", "--boundary", "periodic"),
                List.of("--alpha", "0.5", "--heater", "5,5,20,20,3", "--dt", "auto"),
                List.of("--param", "heater=5,5,20,20,3", "--param", "alpha=0.50"));
        assertEquals(0, ranks[0].await(120), ranks[0].stderr());
        assertEquals(0, ranks[1].await(120), ranks[1].stderr());
    }

    @Test
    void aTileThatFailsBeforeTheHandshakeStopsTheOthersWithItsReason() throws Exception {
        // Rank 1 is asked to resume a segment it does not have: it fails before it listens. Rank 0 used to
        // wait out the start-up (60 s), then blame the network.
        var ranks = startRanks(List.of("--size", "40x30"), List.of(), List.of("--resume"));
        assertEquals(1, ranks[1].await(60), ranks[1].stderr());
        assertEquals(1, ranks[0].await(20), ranks[0].stderr());
        assertTrue(ranks[0].stderr().contains("tile 1 (127.0.0.1:" + ranks[1].port() + ") could not start: no tile segment "),
                ranks[0].stderr());
        assertTrue(!ranks[0].stderr().contains("\tat "), "stack trace: " + ranks[0].stderr());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "--stepz 5 | unknown option '--stepz'; did you mean '--steady' or '--steps'?",
            "--timeout 10ms | --timeout 10 ms: allowed 100 ms or more"})
    void aTileWhoseOptionsAreWrongStopsTheOthersWithItsReason(String wrong, String message) throws Exception {
        // A mistyped option on rank 1 (picocli stops it before any option is read) or a value the run checks
        // before it meets the others. Rank 0 used to wait out the start-up (60 s). Rank 1 starts once rank 0
        // listens, so that the test does not depend on which JVM is up first (a refusal is tried for 2 s).
        int[] ports = {TiledRuns.freeUdpPort(), TiledRuns.freeUdpPort()};
        String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        var rank0 = TiledRuns.start(List.of("run", name, "--tiles", "2x1", "--peers", peers, "--rank", "0", "--steps",
                "5", "--quiet", "--threads", "1", "--size", "40x30"));
        TiledRuns.awaitUdpListener(ports[0], rank0);
        var args = new ArrayList<>(List.of("run", name, "--tiles", "2x1", "--peers=" + peers, "--rank", "1", "--quiet",
                "--size", "40x30"));
        args.addAll(List.of(wrong.split(" ")));
        var rank1 = TiledRuns.start(args);
        assertEquals(2, rank1.await(60), rank1.stderr());
        assertTrue(rank1.stderr().contains("heatgrid run: " + message), rank1.stderr());
        assertEquals(1, rank0.await(20), rank0.stderr());
        assertTrue(rank0.stderr().contains("tile 1 (127.0.0.1:" + ports[1] + ") could not start: " + message),
                rank0.stderr());
        assertTrue(Files.notExists(TileRun.tilePath(SegmentNames.resolve(name), 0)),
                "rank 0 left its segment of step 0 behind");
    }

    @Test
    void aTileThatFailsAfterTheHandshakeStopsTheOthersAndLeavesNoSegment() throws Exception {
        // A directory where rank 1's segment goes: it meets rank 0, then cannot create its segment. Rank 0
        // used to wait for its first halo for the silence timeout (5 s), exit 3 as if a running tile had
        // been lost, and keep its own segment of step 0 for a resume that could never work.
        Path blocked = TileRun.tilePath(SegmentNames.resolve(name), 1);
        Files.createDirectories(blocked);
        try {
            var ranks = startRanks(List.of("--size", "40x30", "--timeout", "30s"), List.of(), List.of());
            assertEquals(1, ranks[1].await(60), ranks[1].stderr());
            assertEquals(1, ranks[0].await(20), ranks[0].stderr());
            assertTrue(ranks[0].stderr().contains("tile 1 (127.0.0.1:" + ranks[1].port() + ") could not start: " + blocked),
                    ranks[0].stderr());
            assertTrue(!ranks[0].stderr().contains("\tat "), "stack trace: " + ranks[0].stderr());
            assertTrue(Files.notExists(TileRun.tilePath(SegmentNames.resolve(name), 0)),
                    "rank 0 left its segment of step 0 behind");
        } finally {
            Files.deleteIfExists(blocked);
        }
    }

    /** Rank 0 and rank 1 of a 2x1 run over UDP on loopback, each with the common and its own options. */
    private Rank[] startRanks(List<String> common, List<String> rank0, List<String> rank1) throws Exception {
        int[] ports = {TiledRuns.freeUdpPort(), TiledRuns.freeUdpPort()};
        String peers = "127.0.0.1:" + ports[0] + ",127.0.0.1:" + ports[1];
        var ranks = new Rank[2];
        for (int r = 0; r < 2; r++) {
            var args = new ArrayList<>(List.of("run", name, "--tiles", "2x1", "--peers", peers, "--rank", Integer.toString(r),
                    "--steps", "5", "--quiet", "--threads", "1"));
            args.addAll(common);
            args.addAll(r == 0 ? rank0 : rank1);
            ranks[r] = new Rank(TiledRuns.start(args), ports[r]);
        }
        return ranks;
    }

    /** A rank's process and the port it listens at. */
    private record Rank(TiledRuns.Background run, int port) {
        int await(long seconds) throws Exception {
            return run.await(seconds);
        }

        String stderr() throws java.io.IOException {
            return run.stderr();
        }
    }

    private static void assertRefused(Rank rank, String reason) throws Exception {
        assertEquals(2, rank.await(120), rank.stderr());
        assertTrue(rank.stderr().contains(reason), rank.stderr());
        assertTrue(!rank.stderr().contains("\tat "), "stack trace: " + rank.stderr());
    }

    @Test
    void segmentsOfDifferentRunsAreNotResumedTogether() throws Exception {
        for (String run : List.of(name + "-a", name + "-b")) {
            var args = new ArrayList<>(List.of("run", run, "--tiles", "2x1", "--steps", "3", "--keep", "--quiet",
                    "--threads", "1"));
            args.addAll(PROBLEM);
            var r = TiledRuns.exec(Duration.ofMinutes(3), args);
            assertEquals(0, r.code(), r.toString());
        }
        // Tile 1 of run b where tile 1 of run a belongs: a stale tile of another run.
        Files.copy(SegmentNames.resolve(name + "-b.t1"), SegmentNames.resolve(name + "-a.t1"),
                StandardCopyOption.REPLACE_EXISTING);
        var r = TiledRuns.exec(Duration.ofMinutes(3), List.of("run", name + "-a", "--resume", "--tiles", "2x1",
                "--steps", "3", "--quiet", "--threads", "1"));
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().matches("(?s).*was started with run '[0-9a-f]+' but this tile \\(rank [01]\\) with '[0-9a-f]+'.*"),
                r.err());
    }
}
