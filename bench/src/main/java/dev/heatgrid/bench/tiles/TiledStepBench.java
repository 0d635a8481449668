package dev.heatgrid.bench.tiles;

import dev.heatgrid.solver.GridSize;
import dev.heatgrid.tiles.TileRun;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * A tiled run against one process, round after round in the same minutes (the machine is shared;
 * compare ratios of medians): {@code TiledStepBench NXxNY PXxPY STEPS ROUNDS [udp]}. Each round runs
 * <ul>
 *   <li>{@code tiles-ipc}: PX*PY tile JVMs with one thread each, halos over Aeron IPC (one media
 *       driver, started here, as the launcher does);</li>
 *   <li>{@code tiles-udp} (with {@code udp}): the same over Aeron UDP on loopback, each tile with its
 *       own embedded driver, as on separate hosts;</li>
 *   <li>{@code whole}: one JVM stepping the whole grid with PX*PY threads;</li>
 *   <li>{@code one-tile}: one JVM stepping a grid of one tile's size with one thread (what a tile
 *       computes: the tiled step minus this is what tiling costs).</li>
 * </ul>
 * Each process publishes every step; its figure is the median time between publications over the
 * second half of its steps (after the JIT warmed up). Tile 0's halo statistics are printed too.
 *
 * <p>{@code TiledStepBench NXxNY PXxPY STEPS ROUNDS gather MAX_SIZE} instead runs the tiles over UDP
 * four times a round (each round starting with the next variant): with no gatherer, with a gatherer stopped (SIGSTOP) after its first frame,
 * with a slow one (a frame a second) and with one at the default 100 ms, each a separate process
 * (as on another host) reduced to MAX_SIZE: what a gatherer costs the tiles.
 */
public final class TiledStepBench {
    private TiledStepBench() {
    }

    public static void main(String[] args) throws Exception {
        GridSize size = GridSize.parse(args[0]);
        int[] pq = TileRun.parseTiles(args[1]);
        long steps = Long.parseLong(args[2]);
        int rounds = Integer.parseInt(args[3]);
        boolean udp = args.length > 4 && args[4].equals("udp");
        if (args.length > 5 && args[4].equals("gather")) {
            gatherCost(args[0], args[1], steps, rounds, args[5]);
            return;
        }
        int tiles = pq[0] * pq[1];
        String tileSize = ((size.nx() + pq[0] - 1) / pq[0]) + "x" + ((size.ny() + pq[1] - 1) / pq[1]);
        var results = new LinkedHashMap<String, List<Long>>();
        var halos = new LinkedHashMap<String, String>();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        Path aeronDir = Path.of(System.getProperty("java.io.tmpdir"), "heatgrid-bench-aeron-" + ProcessHandle.current().pid());
        try (MediaDriver driver = MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(aeronDir.toString())
                .threadingMode(ThreadingMode.SHARED)
                .sharedIdleStrategy(new BackoffIdleStrategy(100, 10, 1_000, TimeUnit.MILLISECONDS.toNanos(1)))
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true))) {
            for (int round = 0; round < rounds; round++) {
                String name = "bench-tiles-" + ProcessHandle.current().pid() + "-" + round;
                var ipc = new ArrayList<Child>();
                for (int r = 0; r < tiles; r++) {
                    ipc.add(Child.start("tile", args[0], args[1], Integer.toString(r), Long.toString(steps), name + "i",
                            "ipc", driver.aeronDirectoryName()));
                }
                record(results, halos, "tiles-ipc", ipc);
                if (udp) {
                    String peers = loopbackPeers(tiles);
                    var over = new ArrayList<Child>();
                    for (int r = 0; r < tiles; r++) {
                        over.add(Child.start("tile", args[0], args[1], Integer.toString(r), Long.toString(steps),
                                name + "u", "udp", peers));
                    }
                    record(results, halos, "tiles-udp", over);
                }
                record(results, halos, "whole", List.of(Child.start("whole", args[0], Integer.toString(tiles),
                        Long.toString(steps), name + "w")));
                record(results, halos, "one-tile", List.of(Child.start("whole", tileSize, "1", Long.toString(steps),
                        name + "o")));
                System.out.println("round " + (round + 1) + ": " + lastOfEach(results));
            }
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();
        System.out.printf(Locale.ROOT, "%n%s as %s tiles, %d steps, %d rounds; load %s -> %s%n", args[0], args[1], steps,
                rounds, loadBefore, loadAfter);
        Map<String, Long> medians = new LinkedHashMap<>();
        results.forEach((k, v) -> medians.put(k, median(v)));
        medians.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-10s median %10.1f µs per step  (rounds: %s)%n", k,
                v / 1e3, results.get(k).stream().map(x -> String.format(Locale.ROOT, "%.0f", x / 1e3)).toList()));
        long whole = medians.get("whole");
        long oneTile = medians.get("one-tile");
        for (String t : List.of("tiles-ipc", "tiles-udp")) {
            if (medians.containsKey(t)) {
                long tiled = medians.get(t);
                System.out.printf(Locale.ROOT, "  %s: speed vs one process with %d threads %.2fx; tiling costs %.1f µs per"
                        + " step over one tile alone; tile 0: %s%n", t, tiles, (double) whole / tiled,
                        (tiled - oneTile) / 1e3, halos.get(t));
            }
        }
    }

    private static void gatherCost(String size, String layout, long steps, int rounds, String maxSize) throws Exception {
        int[] pq = TileRun.parseTiles(layout);
        int tiles = pq[0] * pq[1];
        var results = new LinkedHashMap<String, List<Long>>();
        var halos = new LinkedHashMap<String, String>();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();
        for (int round = 0; round < rounds; round++) {
            // Each round starts with another variant: the load on a shared machine drifts within a round.
            var variants = new ArrayList<>(List.of("no-gatherer", "stopped-gatherer", "gatherer-1s", "gatherer-100ms"));
            java.util.Collections.rotate(variants, -round);
            for (String variant : variants) {
                String name = "bench-gather-" + ProcessHandle.current().pid() + "-" + round + "-" + variant;
                String peers = loopbackPeers(tiles);
                var children = new ArrayList<Child>();
                for (int r = 0; r < tiles; r++) {
                    children.add(Child.start("tile", size, layout, Integer.toString(r), Long.toString(steps), name, "udp",
                            peers));
                }
                Child gatherer = null;
                if (!variant.equals("no-gatherer")) {
                    gatherer = Child.start("gather", name + ".view", peers, maxSize,
                            variant.equals("gatherer-1s") ? "1S" : "0.1S");
                    gatherer.awaitLine("GATHERING");
                    if (variant.equals("stopped-gatherer")) {
                        new ProcessBuilder("kill", "-STOP", Long.toString(gatherer.process().pid())).start().waitFor();
                    }
                }
                record(results, halos, variant, children);
                if (gatherer != null) {
                    gatherer.process().destroyForcibly().waitFor();
                    Files.deleteIfExists(dev.heatgrid.segment.SegmentNames.resolve(name + ".view"));
                }
            }
            System.out.println("round " + (round + 1) + ": " + lastOfEach(results));
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();
        System.out.printf(Locale.ROOT, "%n%s as %s tiles over UDP, %d steps, %d rounds, gathered to at most %s; load %s"
                + " -> %s%n", size, layout, steps, rounds, maxSize, loadBefore, loadAfter);
        long none = median(results.get("no-gatherer"));
        results.forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-17s median %10.1f µs per step, %.3fx the run"
                + " without a gatherer  (rounds: %s)%n", k, median(v) / 1e3, (double) median(v) / none,
                v.stream().map(x -> String.format(Locale.ROOT, "%.0f", x / 1e3)).toList()));
    }

    /** HOST:PORT of a free UDP port on loopback per tile, for --peers. */
    private static String loopbackPeers(int tiles) throws IOException {
        var peers = new StringBuilder();
        for (int r = 0; r < tiles; r++) {
            try (DatagramSocket s = new DatagramSocket(0)) {
                peers.append(r == 0 ? "" : ",").append("127.0.0.1:").append(s.getLocalPort());
            }
        }
        return peers.toString();
    }

    private static void record(Map<String, List<Long>> results, Map<String, String> halos, String key, List<Child> children)
            throws Exception {
        long worst = 0;
        for (int i = 0; i < children.size(); i++) {
            String[] r = children.get(i).result();
            worst = Math.max(worst, Long.parseLong(r[0]));
            if (i == 0) {
                halos.put(key, r[1]);
            }
        }
        results.computeIfAbsent(key, k -> new ArrayList<>()).add(worst);
    }

    private static String lastOfEach(Map<String, List<Long>> results) {
        var sb = new StringBuilder();
        results.forEach((k, v) -> sb.append(k).append(' ').append(String.format(Locale.ROOT, "%.0f µs  ", v.getLast() / 1e3)));
        return sb.toString();
    }

    private static long median(List<Long> values) {
        long[] a = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }

    /** A child JVM running {@link TiledStepChild}. */
    private record Child(Process process, BufferedReader out) {
        static Child start(String... args) throws IOException {
            String java = ProcessHandle.current().info().command().orElse("java");
            var command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                    "--add-modules=jdk.incubator.vector", "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), TiledStepChild.class.getName()));
            command.addAll(List.of(args));
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            return new Child(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
        }

        String awaitLine(String prefix) throws IOException {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            throw new IOException("a bench process ended before printing " + prefix);
        }

        /** {median ns per step, halo summary} */
        String[] result() throws Exception {
            String line = awaitLine("RESULT ");
            process.waitFor();
            return line.substring(7).split(" ", 2);
        }
    }
}
