package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameChecksum;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentLayout;
import dev.heatgrid.segment.SegmentNames;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tiled runs as users start them: {@code run NAME --tiles PXxPY} starts one JVM per tile on this
 * host, halos over Aeron IPC; the tiles' newest frames together equal, bit for bit, the newest
 * frame of one process stepping the whole grid with the same options.
 */
class TiledRunIT {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);
    private final String name = "tiles-it-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1 << 20);
    private final List<Path> made = new ArrayList<>();

    @AfterEach
    void removeSegments() throws Exception {
        try (var files = Files.list(SegmentNames.defaultDirectory())) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(name)).toList()) {
                Files.deleteIfExists(p);
            }
        }
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
    void kernelsWithoutAStencilRadiusAreRefusedWithTheReason() throws Exception {
        var r = PackagedCommand.exec(Duration.ofMinutes(2), List.of("run", name, "--tiles", "2x1", "--kernel", "adi",
                "--size", "32", "--steps", "2", "--quiet"));
        assertTrue(r.code() != 0, r.toString());
        assertTrue(r.err().contains("declares no stencil radius"), r.err());
    }

    private void assertTiledEqualsWhole(String tiles, List<String> options) throws Exception {
        var tiled = new ArrayList<>(List.of("run", name, "--tiles", tiles, "--keep", "--quiet", "--threads", "1"));
        tiled.addAll(options);
        var r = PackagedCommand.exec(Duration.ofMinutes(3), tiled);
        assertEquals(0, r.code(), r.toString());
        var whole = new ArrayList<>(List.of("run", name + ".whole", "--keep", "--quiet", "--threads", "2"));
        whole.addAll(options);
        var w = PackagedCommand.exec(Duration.ofMinutes(3), whole);
        assertEquals(0, w.code(), w.toString());
        String[] pq = tiles.split("x");
        int count = Integer.parseInt(pq[0]) * Integer.parseInt(pq[1]);
        try (FrameReader all = FrameReader.open(SegmentNames.resolve(name + ".whole"))) {
            long ws = all.tryOptimisticRead();
            SegmentLayout wl = all.layout();
            MemorySegment wf = all.field(ws, 0);
            long step = all.header(ws).step();
            int cells = 0;
            for (int t = 0; t < count; t++) {
                try (FrameReader tile = FrameReader.open(SegmentNames.resolve(name + ".t" + t))) {
                    long s = tile.tryOptimisticRead();
                    var spec = tile.layout().spec();
                    assertEquals(step, tile.header(s).step(), "tile " + t + " step");
                    MemorySegment f = tile.field(s, 0);
                    assertHeaderDescribes(tile.header(s).stats().get(0), f, (long) spec.nx() * spec.ny(), t);
                    for (int y = 0; y < spec.ny(); y++) {
                        for (int x = 0; x < spec.nx(); x++) {
                            double a = f.getAtIndex(CELL, (long) y * spec.nx() + x);
                            double b = wf.getAtIndex(CELL, (long) (spec.tile().originY() + y) * wl.nx()
                                    + spec.tile().originX() + x);
                            if (Double.doubleToRawLongBits(a) != Double.doubleToRawLongBits(b)) {
                                throw new AssertionError("tile " + t + " node (" + x + ", " + y + ") is " + a
                                        + ", one process has " + b);
                            }
                            cells++;
                        }
                    }
                }
            }
            assertEquals(wl.nx() * wl.ny(), cells, "the tiles cover the grid exactly once");
        }
    }

    /**
     * A tile's header describes its frame as written: the halo fix rewrites nodes after the kernel's
     * loop already recorded statistics and checksum terms for them, so those rows must be recorded again.
     */
    private static void assertHeaderDescribes(FieldStats stats, MemorySegment field, long cells, int t) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (long i = 0; i < cells; i++) {
            min = Math.min(min, field.getAtIndex(CELL, i));
            max = Math.max(max, field.getAtIndex(CELL, i));
        }
        assertEquals(FrameChecksum.of(field, cells), stats.checksum(), "tile " + t + " checksum");
        assertEquals(min, stats.min(), "tile " + t + " min");
        assertEquals(max, stats.max(), "tile " + t + " max");
    }
}
