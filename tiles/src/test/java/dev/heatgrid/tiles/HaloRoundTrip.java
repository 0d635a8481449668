package dev.heatgrid.tiles;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The halo transport alone, between two JVMs: each round both send one message of a halo's size and
 * wait for the other's, exactly as two tiles with nothing to compute would (one exchange per round,
 * through {@link TileTransport}: IPC on one media driver, or UDP on loopback with each process's own
 * embedded driver). Prints the median and 90th/99th percentile round time per message size:
 * {@code HaloRoundTrip ipc|udp ROUNDS BYTES...}. Among the tiles module's tests, in its package, to
 * reach the transport's package-private API as a test does; the tiles test-jar brings it into the
 * benchmarks jar (bench/tiles-bench.sh runs it from there).
 */
public final class HaloRoundTrip {
    private HaloRoundTrip() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("side")) {
            side(args);
            return;
        }
        boolean ipc = args[0].equals("ipc");
        int rounds = Integer.parseInt(args[1]);
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "heatgrid-roundtrip-" + ProcessHandle.current().pid());
        try (MediaDriver driver = ipc ? MediaDriver.launch(new MediaDriver.Context().aeronDirectoryName(dir.toString())
                .threadingMode(ThreadingMode.SHARED).sharedIdleStrategy(new BackoffIdleStrategy(100, 10, 1_000, 1_000_000))
                .dirDeleteOnStart(true).dirDeleteOnShutdown(true)) : null) {
            for (int i = 2; i < args.length; i++) {
                String where = ipc ? "ipc:" + driver.aeronDirectoryName() : "udp:127.0.0.1:" + port() + ",127.0.0.1:" + port();
                var sides = new ArrayList<Process>();
                for (int rank = 0; rank < 2; rank++) {
                    sides.add(start(rank, where, args[i], rounds));
                }
                for (Process p : sides) {
                    try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        out.lines().filter(l -> l.startsWith("rank 0")).forEach(l -> System.out.println(args[0] + " " + l));
                    }
                    p.waitFor();
                }
            }
        }
        System.out.println("load " + load + " -> " + Files.readString(Path.of("/proc/loadavg")).strip());
    }

    private static int port() throws Exception {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Process start(int rank, String where, String bytes, int rounds) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        var command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                HaloRoundTrip.class.getName(), "side", Integer.toString(rank), where, bytes, Integer.toString(rounds)));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** One side: rank, ipc:DIR | udp:PEERS, message bytes, rounds. */
    private static void side(String[] args) throws Exception {
        int rank = Integer.parseInt(args[1]);
        String where = args[2];
        int bytes = Integer.parseInt(args[3]);
        int rounds = Integer.parseInt(args[4]);
        int term = TileTransport.termLengthFor(bytes);
        Peers peers = where.startsWith("ipc:") ? Peers.ipc(2, term) : Peers.udp(TileRun.parsePeers(where.substring(4)), term);
        Path dir = where.startsWith("ipc:") ? Path.of(where.substring(4)) : null;
        int warmup = Math.max(1000, rounds / 5);
        try (TileTransport t = new TileTransport(peers.endpoint(rank), dir)) {
            UnsafeBuffer out = TileTransport.buffer(bytes);
            TileMessage.writeHeader(out, TileMessage.HALO, 1, rank, 1 - rank, 0, 0, 0, 0,
                    (bytes - TileMessage.HEADER_LENGTH) / Double.BYTES, 0);
            long[] got = {0};
            long[] times = new long[rounds];
            for (int r = 0; r < warmup + rounds; r++) {
                long start = System.nanoTime();
                while (!t.send(peers.endpoint(1 - rank), out, bytes, start + 10_000_000_000L)) {
                    Thread.onSpinWait();
                }
                while (got[0] <= r) {
                    int work = t.poll((b, o, l) -> got[0]++);
                    t.idle(work);
                }
                if (r >= warmup) {
                    times[r - warmup] = System.nanoTime() - start;
                }
            }
            Arrays.sort(times);
            System.out.printf(Locale.ROOT, "rank %d, %d bytes: round median %.1f µs, p90 %.1f, p99 %.1f (%d rounds)%n", rank,
                    bytes, times[rounds / 2] / 1e3, times[rounds * 9 / 10] / 1e3, times[rounds * 99 / 100] / 1e3, rounds);
            Thread.sleep(300); // let the last message reach the other side before this side leaves
        }
    }
}
