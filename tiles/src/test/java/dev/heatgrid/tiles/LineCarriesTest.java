package dev.heatgrid.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Edge;
import dev.heatgrid.solver.spi.GridGeometry;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two tiles' members in one JVM over Aeron IPC: line carries arrive bit for bit and in order, and
 * a tile waiting for a carry from a neighbour that went silent gives it up after the timeout with
 * the run's loss message, instead of computing without it or hanging.
 */
class LineCarriesTest {
    private static final Duration TIMEOUT = Duration.ofMillis(400);
    private MediaDriver driver;
    private final TileLayout layout = new TileLayout(2, 1, new GridGeometry(20, 10, 1, 1), Boundary.ZERO_DIRICHLET);
    private final Peers peers = Peers.ipc(2, TileTransport.termLengthFor(4096));

    @BeforeEach
    void startDriver() throws Exception {
        Path dir = Files.createTempDirectory("heatgrid-carries");
        driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir.toString())
                .threadingMode(ThreadingMode.SHARED).dirDeleteOnStart(true).dirDeleteOnShutdown(true));
    }

    @AfterEach
    void stopDriver() {
        driver.close();
    }

    private TileMember member(TileTransport transport, int rank) {
        TileMember m = new TileMember(layout, rank, transport, peers, 1, new boolean[] {true}, TIMEOUT);
        m.join(42);
        return m;
    }

    @Test
    void carriesArriveBitForBitInOrder() throws Exception {
        Path dir = Path.of(driver.aeronDirectoryName());
        try (TileTransport t0 = new TileTransport(peers.endpoint(0), dir);
             TileTransport t1 = new TileTransport(peers.endpoint(1), dir);
             TileMember west = member(t0, 0);
             TileMember east = member(t1, 1)) {
            double[] first = {1.5, -0.0, Double.longBitsToDouble(0x7ff8_0000_0000_1234L), Double.MIN_VALUE};
            double[] second = {3, 4};
            west.carries().send(Edge.EAST, 7, first, first.length);
            west.carries().send(Edge.EAST, 8, second, second.length);
            double[] got = new double[4];
            east.carries().receive(Edge.WEST, 7, got, 4);
            for (int i = 0; i < 4; i++) {
                assertEquals(Double.doubleToRawLongBits(first[i]), Double.doubleToRawLongBits(got[i]), "value " + i);
            }
            east.carries().receive(Edge.WEST, 8, got, 2);
            assertEquals(3.0, got[0]);
            assertEquals(4.0, got[1]);
        }
    }

    @Test
    void aSilentNeighbourIsLostInsteadOfAwaited() throws Exception {
        Path dir = Path.of(driver.aeronDirectoryName());
        try (TileTransport t0 = new TileTransport(peers.endpoint(0), dir);
             TileTransport t1 = new TileTransport(peers.endpoint(1), dir);
             TileMember west = member(t0, 0)) {
            member(t1, 1).close(); // joined, then silent: no carry, no heartbeat
            long start = System.nanoTime();
            var e = assertThrows(UncheckedIOException.class,
                    () -> west.carries().receive(Edge.EAST, 1, new double[1], 1));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertInstanceOf(TileLostException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("tile 1 (IPC stream 7101) lost: sent nothing for"),
                    e.getCause().getMessage());
            assertTrue(millis >= TIMEOUT.toMillis() - 50 && millis < TIMEOUT.toMillis() + 5_000, millis + " ms");
        }
    }
}
