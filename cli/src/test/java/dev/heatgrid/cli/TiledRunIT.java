package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tiled runs as users start them: {@code run NAME --tiles PXxPY} starts one JVM per tile on this
 * host, halos over Aeron IPC; the tiles' newest frames together equal, bit for bit, the newest
 * frame of one process stepping the whole grid with the same options.
 */
class TiledRunIT {
    private final String name = TiledRuns.uniqueName("it");

    @AfterEach
    void removeSegments() throws Exception {
        TiledRuns.removeSegments(name);
    }

    @Test
    void twoTilesEqualOneProcess() throws Exception {
        assertTiledEqualsWhole("2x1", List.of("--size", "61x37", "--init", "random:5", "--steps", "40",
                "--boundary", "north=dirichlet:2,south=neumann,west=periodic,east=periodic",
                "--heater", "25,10,35,20,3"));
    }

    @Test
    void fourTilesEqualOneProcessWithPublishEvery() throws Exception {
        assertTiledEqualsWhole("2x2", List.of("--size", "45x52", "--init", "gaussian:10", "--steps", "31",
                "--publish-every", "4", "--boundary", "periodic", "--heater", "20,20,26,30,5"));
    }

    @Test
    void steadyStateEndsWhereOneProcessEnds() throws Exception {
        // The tiles learn that a step was steady a few exchanges later; the frame they end on must
        // still be the one of the step one process stops at.
        assertTiledEqualsWhole("3x2", List.of("--size", "30x26", "--init", "gaussian:5", "--steady", "2e-3",
                "--boundary", "north=dirichlet:1,south=dirichlet:0,west=neumann,east=neumann", "--publish-every", "2"));
    }

    // adi: the line solves continue across the tiles (carries during each half step); 37x29 splits
    // unevenly (19+18 columns, 15+14 rows), and every heater below crosses a tile border.

    @Test
    void adiOnTwoTilesSideBySideEqualsOneProcess() throws Exception {
        assertTiledEqualsWhole("2x1", List.of("--kernel", "adi", "--size", "37x29", "--init", "random:3", "--steps", "20",
                "--boundary", "north=dirichlet:2,south=neumann,west=dirichlet:1,east=neumann",
                "--heater", "15,10,24,16,3"));
    }

    @Test
    void adiOnTwoTilesOneAboveTheOtherPeriodicWithPublishEveryEqualsOneProcess() throws Exception {
        assertTiledEqualsWhole("1x2", List.of("--kernel", "adi", "--size", "37x29", "--init", "gaussian:6", "--steps", "25",
                "--publish-every", "3", "--boundary", "periodic", "--heater", "5,12,12,18,4"));
    }

    @Test
    void adiOnFourTilesWithPublishEveryEqualsOneProcess() throws Exception {
        assertTiledEqualsWhole("2x2", List.of("--kernel", "adi", "--size", "37x29", "--init", "random:8", "--steps", "30",
                "--publish-every", "4", "--boundary", "west=periodic,east=periodic,north=dirichlet:1,south=neumann",
                "--heater", "16,12,22,18,5"));
    }

    @Test
    void adiTilesWithMoreThanOneThreadAreRefusedOnceWithTheReason() throws Exception {
        var r = TiledRuns.exec(Duration.ofMinutes(2), List.of("run", name, "--tiles", "2x1", "--kernel", "adi",
                "--size", "32", "--steps", "2", "--threads", "2", "--quiet"));
        assertEquals(CommandFailureHandler.USAGE, r.code(), r.toString());
        assertEquals(1, r.err().split("steps each tile with one thread", -1).length - 1, "refused once, by the launcher: "
                + r.err());
    }

    @Test
    void kernelsThatCoupleTheWholeGridAreRefusedWithTheReason() throws Exception {
        var r = TiledRuns.exec(Duration.ofMinutes(2), List.of("run", name, "--tiles", "2x1", "--kernel", "spectral",
                "--size", "32", "--steps", "2", "--quiet"));
        assertEquals(CommandFailureHandler.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("declares no stencil radius"), r.err());
        assertEquals(1, r.err().split("declares no stencil radius", -1).length - 1, "refused once, by the launcher: "
                + r.err());
        assertTrue(!r.err().contains("\tat "), "stack trace without --verbose: " + r.err());
    }

    private void assertTiledEqualsWhole(String tiles, List<String> options) throws Exception {
        var tiled = new ArrayList<>(List.of("run", name, "--tiles", tiles, "--keep", "--quiet", "--threads", "1"));
        tiled.addAll(options);
        var r = TiledRuns.exec(Duration.ofMinutes(3), tiled);
        assertEquals(0, r.code(), r.toString());
        var whole = new ArrayList<>(List.of("run", name + ".whole", "--keep", "--quiet", "--threads", "2"));
        whole.addAll(options);
        var w = TiledRuns.exec(Duration.ofMinutes(3), whole);
        assertEquals(0, w.code(), w.toString());
        String[] pq = tiles.split("x");
        TiledRuns.assertTilesEqualWhole(name, Integer.parseInt(pq[0]) * Integer.parseInt(pq[1]), name + ".whole");
    }
}
