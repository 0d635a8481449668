package dev.heatgrid.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.segment.SteeringCommand;
import dev.heatgrid.solver.StopReason;
import dev.heatgrid.solver.TileLink;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.GridGeometry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The step agreement without processes: tiles of a layout exchange their agreement state with their
 * neighbours tick by tick, exactly as {@link TileMember} does (propose before the exchange, merge
 * what neighbours sent, decide after it). Proposals start on random tiles at random ticks and some
 * tiles refuse some commands: every tile must decide the same things, in the same order, at the same
 * tick, each 2D ticks after it was proposed, and a refusal by any tile must be every tile's refusal,
 * naming the lowest refusing rank and its reason.
 */
class AgreementTest {
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "2; 1; dirichlet:0",
            "4; 1; dirichlet:0",
            "3; 2; periodic",
            "4; 4; neumann",
            "5; 3; west=periodic,east=periodic,north=neumann,south=neumann",
    })
    void everyTileDecidesTheSameAtTheSameTick(int px, int py, String boundary) throws Exception {
        TileLayout layout = new TileLayout(px, py, new GridGeometry(10 * px, 10 * py, 1, 1), Boundary.parse(boundary));
        int tiles = layout.tiles();
        var agreements = new ArrayList<Agreement>();
        for (int r = 0; r < tiles; r++) {
            int rank = r;
            Agreement a = new Agreement(tiles, rank, layout.diameter());
            // Tile r refuses a 'set' whose value is r (and tile 0 refuses nothing else): so a
            // command can be refused by one tile only, which must become everyone's refusal.
            a.judge((command, step) -> command.code() == SteeringCode.SET && command.arg(0) == rank
                    ? CommandOutcome.refused("tile " + rank + " says no to " + command.arg(0))
                    : CommandOutcome.applied("fine at step " + step));
            agreements.add(a);
        }
        var random = new SplittableRandom(px * 31L + py);
        var decidedAt = new ArrayList<List<String>>();
        for (int r = 0; r < tiles; r++) {
            decidedAt.add(new ArrayList<>());
        }
        var proposedAt = new java.util.HashMap<String, Long>();
        var maxima = new java.util.HashMap<Long, Double>();
        int reducedCount = 0;
        int delay = agreements.get(0).delay();
        assertEquals(2 * Math.max(1, layout.diameter()), delay);
        int seq = 1;
        int ticks = 60;
        for (long tick = 0; tick < ticks; tick++) {
            if (tick < ticks - delay - 1 && random.nextInt(3) == 0) {
                int origin = random.nextInt(tiles);
                double value = random.nextInt(tiles + 2); // refused by tile 'value' if that tile exists
                var command = new SteeringCommand(seq++, SteeringCode.SET, SteeringCode.SET.code(), "alpha",
                        new double[] {value, 0, 0, 0}, 1234);
                agreements.get(origin).propose(command, tick, tick);
                proposedAt.put(origin + ":" + command.seq(), tick);
            }
            if (tick == 7) {
                agreements.get(tiles - 1).proposeStop(StopReason.REQUESTED, tick, tick);
            }
            if (tick % 3 == 0 && tick < ticks - layout.diameter() - 1) {
                // Every tile offers its value of "step" tick in the same exchange, as after a publication.
                double most = Double.NEGATIVE_INFINITY;
                for (int r = 0; r < tiles; r++) {
                    double v = random.nextDouble();
                    most = Math.max(most, v);
                    agreements.get(r).reduce(tick, v, tick);
                }
                maxima.put(tick, most);
            }
            // The exchange: everyone sends its state, then merges its neighbours'.
            var sent = new ArrayList<byte[]>();
            for (Agreement a : agreements) {
                sent.add(a.encode());
            }
            for (int r = 0; r < tiles; r++) {
                for (int n : layout.neighbours(r)) {
                    agreements.get(r).merge(sent.get(n), tick);
                }
            }
            for (int r = 0; r < tiles; r++) {
                agreements.get(r).decideAfter(tick);
                for (TileLink.MaxDelta m = agreements.get(r).takeReduced(); m != null; m = agreements.get(r).takeReduced()) {
                    assertEquals(Math.max(1, layout.diameter()) - 1, tick - m.step(), "reduced D - 1 exchanges after");
                    assertEquals(maxima.get(m.step()), m.value(), "the largest value of every tile");
                    reducedCount++;
                }
                for (TileLink.Agreed d : agreements.get(r).takeDecided()) {
                    decidedAt.get(r).add(tick + " " + describe(d));
                    if (d.command() != null) {
                        long proposed = proposedAt.get(d.origin() + ":" + d.command().seq());
                        assertEquals(proposed + delay, tick, "decided " + delay + " ticks after it was proposed");
                        int value = (int) d.command().arg(0);
                        if (value < tiles) {
                            assertEquals("refused by tile " + value + ": tile " + value + " says no to " + (double) value,
                                    d.refusal().message());
                        } else {
                            assertNull(d.refusal(), "nobody refuses " + value);
                        }
                    }
                }
            }
        }
        for (int r = 1; r < tiles; r++) {
            assertEquals(decidedAt.get(0), decidedAt.get(r), "tile " + r + " decided differently from tile 0");
        }
        assertEquals(proposedAt.size() + 1, decidedAt.get(0).size(), "every proposal decided once: " + decidedAt.get(0));
        assertTrue(decidedAt.get(0).stream().anyMatch(s -> s.contains("stop REQUESTED")), "the stop was decided");
        assertTrue(decidedAt.get(0).stream().anyMatch(s -> s.contains("refused by tile")), "something was refused");
        assertTrue(decidedAt.get(0).stream().anyMatch(s -> s.endsWith("applied")), "something was applied");
        for (Agreement a : agreements) {
            assertTrue(!a.busy(), "nothing left open");
        }
        assertEquals(maxima.size() * tiles, reducedCount, "every tile got every reduction");
    }

    /**
     * TileMember runs an exchange every step; while nothing is being agreed on, the agreement's part
     * of it (busy, decide, take) must allocate nothing (a JIT's escape analysis is not counted on:
     * the loop runs long after compilation, and the budget is below one object per tick).
     */
    @Test
    void anIdleTickAllocatesNothing() {
        Agreement a = new Agreement(4, 1, 3);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int ticks = 200_000;
        long tick = 0;
        for (int round = 0; round < 3; round++) { // the first rounds warm the JIT up
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < ticks; i++, tick++) {
                assertTrue(!a.busy());
                a.decideAfter(tick);
                assertNull(a.takeReduced());
                assertTrue(a.takeDecided().isEmpty());
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                assertTrue(allocated < ticks / 10, allocated + " bytes allocated in " + ticks + " idle ticks");
            }
        }
    }

    private static String describe(TileLink.Agreed d) {
        return d.command() == null ? "stop " + d.stop()
                : "command " + d.origin() + ":" + d.command().seq() + " " + (d.refusal() == null ? "applied"
                : d.refusal().message());
    }
}
