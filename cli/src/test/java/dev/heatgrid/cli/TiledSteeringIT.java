package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentNames;
import dev.heatgrid.segment.SteeringClient;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.solver.Heater;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.spi.Boundary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Steering a tiled run: {@code steer} on any tile is carried out by every tile at one agreed step,
 * and every tile's command log shows it at that step (commands posted to another tile with that
 * tile's rank + 1 in the seq's top bits); a command one tile refuses is refused by all, with the
 * reason; a steered stop ends every tile at the same step. Three tiles in a row, so news needs two
 * exchanges to cross the run. A steered {@code adi} run (whose set alpha and set dt refactor the
 * line systems of every tile) ends on the frame of one process given the same commands at the same steps.
 */
class TiledSteeringIT {
    private final String name = TiledRuns.uniqueName("steer");

    @AfterEach
    void removeSegments() throws Exception {
        TiledRuns.removeSegments(name);
    }

    @Test
    void everyTileAppliesACommandAtTheSameStep() throws Exception {
        TiledRuns.Background launcher = TiledRuns.start(List.of("run", name, "--tiles", "3x1", "--size", "60x30",
                "--steps", "100000000", "--keep", "--quiet", "--threads", "1", "--init", "random:3"));
        try {
            for (int t = 0; t < 3; t++) {
                TiledRuns.awaitStep(name + ".t" + t, 20, launcher);
            }
            var set = TiledRuns.exec(Duration.ofMinutes(1), List.of("steer", name + ".t2", "set", "alpha=0.2",
                    "--timeout", "30s"));
            assertEquals(0, set.code(), set.toString());
            assertTrue(set.out().contains("set alpha=0.2"), set.out());
            var unstable = TiledRuns.exec(Duration.ofMinutes(1), List.of("steer", name + ".t1", "set", "alpha=60",
                    "--timeout", "30s"));
            assertEquals(2, unstable.code(), unstable.toString());
            assertTrue(unstable.err().contains("refused by tile 0: "), unstable.err());
            var stop = TiledRuns.exec(Duration.ofMinutes(1), List.of("steer", name + ".t0", "stop",
                    "--timeout", "30s"));
            assertEquals(0, stop.code(), stop.toString());
            assertEquals(0, launcher.await(120), launcher.stderr());
        } finally {
            launcher.process().destroyForcibly();
        }
        // origin tile of each command, in the order they were posted
        int[] origins = {2, 1, 0};
        var logs = new ArrayList<List<CommandRecord>>();
        long[] finalSteps = new long[3];
        for (int t = 0; t < 3; t++) {
            try (FrameReader r = FrameReader.open(SegmentNames.resolve(name + ".t" + t))) {
                List<CommandRecord> log = new ArrayList<>(r.commandLog());
                java.util.Collections.reverse(log); // oldest first
                logs.add(log);
                finalSteps[t] = TiledRuns.newestStep(name + ".t" + t);
            }
        }
        for (int t = 0; t < 3; t++) {
            List<CommandRecord> log = logs.get(t);
            assertEquals(3, log.size(), "tile " + t + " logged " + log);
            for (int c = 0; c < 3; c++) {
                CommandRecord mine = log.get(c);
                CommandRecord first = logs.get(0).get(c);
                assertEquals(first.step(), mine.step(), "command " + c + " at the same step on tile " + t + " as on tile 0");
                assertEquals(first.result(), mine.result(), "command " + c + " has the same result on every tile");
                long originBits = mine.command().seq() >>> 48;
                assertEquals(t == origins[c] ? 0 : origins[c] + 1, originBits, "origin of command " + c + " on tile " + t);
            }
            assertEquals(CommandRecord.APPLIED, log.get(0).result());
            assertEquals(CommandRecord.REFUSED, log.get(1).result());
            assertEquals(CommandRecord.APPLIED, log.get(2).result());
            assertEquals(finalSteps[0], finalSteps[t], "every tile stopped at the same step");
        }
        assertTrue(logs.get(0).get(0).step() < logs.get(0).get(1).step(), "posted one after the other");
    }

    @Test
    void adiTilesSteeredMidRunEqualOneProcessSteeredAtTheSameSteps() throws Exception {
        // 40x24 splits 20+20; the heater crosses the tile border, so the held lines' systems refactor too.
        String boundary = "north=dirichlet:2,south=neumann,west=dirichlet:1,east=neumann";
        String heater = "15,8,24,14,3";
        TiledRuns.Background launcher = TiledRuns.start(List.of("run", name, "--tiles", "2x1", "--kernel", "adi",
                "--size", "40x24", "--init", "random:3", "--boundary", boundary, "--heater", heater,
                "--steps", "100000000", "--keep", "--quiet", "--threads", "1"));
        long alphaStep;
        long dtStep;
        long stopStep;
        try {
            for (int t = 0; t < 2; t++) {
                TiledRuns.awaitStep(name + ".t" + t, 10, launcher);
            }
            alphaStep = steer(name + ".t0", "set", "alpha=0.3");
            TiledRuns.awaitStep(name + ".t1", alphaStep + 5, launcher);
            dtStep = steer(name + ".t1", "set", "dt=0.7");
            TiledRuns.awaitStep(name + ".t0", dtStep + 5, launcher);
            stopStep = steer(name + ".t0", "stop");
            assertEquals(0, launcher.await(120), launcher.stderr());
        } finally {
            launcher.process().destroyForcibly();
        }
        assertTrue(alphaStep < dtStep && dtStep < stopStep, alphaStep + " < " + dtStep + " < " + stopStep);
        for (int t = 0; t < 2; t++) {
            assertEquals(stopStep, TiledRuns.newestStep(name + ".t" + t), "tile " + t + " stopped at the stop's step");
        }

        // One process, the same problem, stepped to each command's step and given the command there.
        Path whole = SegmentNames.resolve(name + ".whole");
        SolverConfig config = SolverConfig.builder().kernel("adi").size(new dev.heatgrid.solver.GridSize(40, 24))
                .initial(InitialCondition.parse("random:3")).boundary(Boundary.parse(boundary))
                .heater(Heater.parse(heater)).threads(1).keep(true).build();
        try (Solver solver = Solver.create(whole, config); SteeringClient client = SteeringClient.open(whole)) {
            solver.run(StopCondition.steps(alphaStep));
            long alpha = client.post(SteeringCode.SET, "alpha", 30, TimeUnit.SECONDS, 0.3);
            solver.run(StopCondition.steps(dtStep - alphaStep));
            long dt = client.post(SteeringCode.SET, "dt", 30, TimeUnit.SECONDS, 0.7);
            solver.run(StopCondition.steps(stopStep - dtStep));
            assertEquals(alphaStep, client.awaitResult(alpha, 5, TimeUnit.SECONDS).orElseThrow().step(), "alpha's step");
            assertEquals(dtStep, client.awaitResult(dt, 5, TimeUnit.SECONDS).orElseThrow().step(), "dt's step");
            assertEquals(stopStep, solver.step());
        }
        TiledRuns.assertTilesEqualWhole(name, 2, name + ".whole");
    }

    /** Steers {@code segment} and returns the step the command was applied at. */
    private static long steer(String segment, String... action) throws Exception {
        var args = new ArrayList<>(List.of("steer", segment));
        args.addAll(List.of(action));
        args.addAll(List.of("--timeout", "30s"));
        var r = TiledRuns.exec(Duration.ofMinutes(1), args);
        assertEquals(0, r.code(), r.toString());
        return Long.parseLong(TiledRuns.find("applied at step (\\d+)", r.out()));
    }
}
