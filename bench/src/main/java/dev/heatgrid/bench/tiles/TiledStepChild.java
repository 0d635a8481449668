package dev.heatgrid.bench.tiles;

import dev.heatgrid.segment.SegmentNames;
import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.ProgressListener;
import dev.heatgrid.solver.RunControl;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.tiles.TileRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * One process of {@link TiledStepBench}: steps a whole grid ({@code whole NXxNY THREADS STEPS NAME})
 * or one tile of it ({@code tile NXxNY PXxPY RANK STEPS NAME ipc AERON_DIR | udp PEERS}), publishing
 * every step, and prints {@code RESULT <median ns per step over the second half> <halo summary>};
 * or gathers a UDP run until killed ({@code gather NAME PEERS MAX_SIZE INTERVAL}), printing
 * {@code GATHERING} after its first frame.
 */
public final class TiledStepChild {
    private TiledStepChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("gather")) {
            GridSize max = GridSize.parse(args[3]);
            var gatherer = new dev.heatgrid.tiles.Gatherer(SegmentNames.resolve(args[1]), max.nx(), max.ny(),
                    Duration.parse("PT" + args[4]), 0, null, 3, false);
            try (var source = dev.heatgrid.tiles.Gatherer.remote(TileRun.parsePeers(args[2]), null)) {
                gatherer.run(source, () -> false, line -> {
                    if (line.startsWith("gathered step")) {
                        System.out.println("GATHERING");
                        System.out.flush();
                    }
                });
            }
            return;
        }
        GridSize size = GridSize.parse(args[1]);
        var intervals = new long[1 << 20];
        var count = new int[1];
        var last = new long[1];
        ProgressListener listener = p -> {
            long now = System.nanoTime();
            if (last[0] != 0 && count[0] < intervals.length) {
                intervals[count[0]++] = now - last[0];
            }
            last[0] = now;
        };
        var config = SolverConfig.builder().size(size).initial(new InitialCondition.Hotspot(1))
                .boundary(Boundary.ZERO_DIRICHLET);
        String halo = "-";
        if (args[0].equals("whole")) {
            long steps = Long.parseLong(args[3]);
            Path path = SegmentNames.resolve(args[4]);
            try (Solver s = Solver.create(path, config.threads(Integer.parseInt(args[2])).build())) {
                s.run(StopCondition.steps(steps), new RunControl(), listener);
            }
        } else {
            int[] pq = TileRun.parseTiles(args[2]);
            int rank = Integer.parseInt(args[3]);
            long steps = Long.parseLong(args[4]);
            Path base = SegmentNames.resolve(args[5]);
            boolean ipc = args[6].equals("ipc");
            int buffers = TileRun.buffersNeeded(pq[0], pq[1], new GridGeometry(size.nx(), size.ny(), 1, 1),
                    Boundary.ZERO_DIRICHLET, 1);
            var run = new TileRun(base, pq[0], pq[1], rank, ipc ? null : TileRun.parsePeers(args[7]),
                    ipc ? Path.of(args[7]) : null, Duration.ofSeconds(10), Duration.ofSeconds(120), false, false);
            var options = new LinkedHashMap<String, String>();
            options.put("bench", String.join(" ", List.of(args).subList(1, 3)) + " " + steps);
            TileRun.Result r = run.run(config.threads(1).buffers(buffers).keep(true).build(), StopCondition.steps(steps),
                    new RunControl(), listener, options, Throwable::toString);
            halo = r.halo().summary();
        }
        long[] second = Arrays.copyOfRange(intervals, count[0] / 2, count[0]);
        Arrays.sort(second);
        System.out.println("RESULT " + second[second.length / 2] + " " + halo);
    }
}
