package dev.heatgrid.bench.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.web.LiveServer;
import dev.heatgrid.web.ServeOptions;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 16, item 6: the real solver (ftcs, one thread, publishing every step) in a process of its
 * own ({@link SolverProcessMain}), {@code heatgrid serve}'s server in this JVM, and 0, 1 or 4 real
 * browsers (Debian's chromium, headless, each its own process tree) showing the page. Per timed run:
 * the solver's steps/s; the frames/s each page actually painted (the page reports its count to the
 * server every second, {@code /api/browsers}: painted frames between the last report before and after
 * the run, over the time between those reports); the CPU the server used (this JVM, which does nothing
 * else meanwhile) and the browsers used, in cores. Browser counts alternate round by round, so the
 * machine's moments of load hit all of them alike.
 */
final class BrowsersOnServe {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Before a timed run: long enough for pages to load, connect and have JIT-compiled their drawing. */
    private static final Duration SETTLE = Duration.ofSeconds(6);

    /** One timed run. */
    record Run(int browsers, double stepsPerSecond, double[] paintedPerSecond, double serverCores,
               double browserCores, long framesDropped, double serverMillisPerFrame) {
        double minPainted() {
            double min = Double.NaN;
            for (double p : paintedPerSecond) {
                min = Double.isNaN(min) ? p : Math.min(min, p);
            }
            return min;
        }
    }

    private final int n;
    private final long warmUpSteps;
    private final long timedSteps;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    BrowsersOnServe(int n, long warmUpSteps, long timedSteps) {
        this.n = n;
        this.warmUpSteps = warmUpSteps;
        this.timedSteps = timedSteps;
    }

    List<Run> run(int[] browserCounts, int rounds, Path dir) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IOException(CHROMIUM + " is not installed (Debian: apt-get install chromium)");
        }
        Path segment = dir.resolve("serve-bench.hgrid");
        var runs = new ArrayList<Run>();
        try (ChildJvm solver = ChildJvm.start(SolverProcessMain.class, segment.toString(), Integer.toString(n), "1",
                Long.toString(warmUpSteps), "2");
             LiveServer server = LiveServer.start(ServeOptions.local(segment, 0))) {
            solver.awaitLine("READY");
            for (int round = 0; round < rounds; round++) {
                for (int browsers : browserCounts) {
                    Run r = timed(solver, server, browsers, dir);
                    System.out.printf(java.util.Locale.ROOT, "round %d, %d browser(s): solver %.2f steps/s, painted"
                                    + " %s frames/s, server %.2f cores (%.1f ms CPU per frame read), browsers %.2f"
                                    + " cores, dropped %d%n", round + 1, browsers, r.stepsPerSecond(),
                            java.util.Arrays.toString(r.paintedPerSecond()), r.serverCores(), r.serverMillisPerFrame(),
                            r.browserCores(), r.framesDropped());
                    runs.add(r);
                }
            }
        }
        return runs;
    }

    private Run timed(ChildJvm solver, LiveServer server, int count, Path dir) throws Exception {
        var browsers = new ArrayList<Process>();
        var profiles = new ArrayList<Path>();
        try {
            for (int i = 0; i < count; i++) {
                Path profile = Files.createTempDirectory(dir, "chromium-");
                profiles.add(profile);
                browsers.add(new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile, "--window-size=1280,900", server.url().toString())
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start());
            }
            // The solver runs while pages load (they need frames), then the measured stretch.
            long settleUntil = System.nanoTime() + SETTLE.toNanos();
            while (System.nanoTime() < settleUntil || (count > 0 && !allPainting(server, count))) {
                steps(solver, 20);
            }
            JsonNode before = browsers(server);
            double serverCpu = cpuSeconds(ProcessHandle.current());
            double browserCpu = browsers.stream().mapToDouble(p -> treeCpuSeconds(p.toHandle())).sum();
            long wall = System.nanoTime();
            double seconds = steps(solver, timedSteps);
            double elapsed = (System.nanoTime() - wall) / 1e9;
            double serverCores = (cpuSeconds(ProcessHandle.current()) - serverCpu) / elapsed;
            double browserCores = (browsers.stream().mapToDouble(p -> treeCpuSeconds(p.toHandle())).sum() - browserCpu)
                    / elapsed;
            JsonNode after = browsers(server);
            double[] painted = new double[count];
            long dropped = 0;
            long offered = 0; // every frame read is offered to every browser (all show the same field)
            for (int i = 0; i < Math.min(count, after.size()); i++) {
                JsonNode a = after.get(i);
                JsonNode b = byId(before, a.get("id").asLong());
                double reports = (a.get("paintedReportMillis").asLong() - b.path("paintedReportMillis").asLong()) / 1e3;
                painted[i] = (a.get("framesPainted").asLong() - b.path("framesPainted").asLong()) / reports;
                dropped += a.get("framesDropped").asLong() - b.path("framesDropped").asLong();
                offered += a.get("framesSent").asLong() + a.get("framesDropped").asLong()
                        - b.path("framesSent").asLong() - b.path("framesDropped").asLong();
            }
            double framesRead = count == 0 ? 0 : offered / (double) count;
            return new Run(count, timedSteps / seconds, painted, serverCores, browserCores, dropped,
                    framesRead == 0 ? Double.NaN : serverCores * elapsed * 1e3 / framesRead);
        } finally {
            for (Process p : browsers) {
                p.toHandle().descendants().forEach(ProcessHandle::destroy);
                p.destroy();
            }
            for (Process p : browsers) {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }
            for (Path profile : profiles) {
                try (var files = Files.walk(profile)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        }
    }

    /** The same browser in an earlier listing (an empty object if it had not connected yet). */
    private JsonNode byId(JsonNode listing, long id) {
        for (JsonNode b : listing) {
            if (b.get("id").asLong() == id) {
                return b;
            }
        }
        return json.createObjectNode();
    }

    private boolean allPainting(LiveServer server, int count) throws IOException, InterruptedException {
        JsonNode listing = browsers(server);
        if (listing.size() < count) {
            return false;
        }
        for (JsonNode b : listing) {
            if (b.get("framesPainted").asLong() < 20) {
                return false;
            }
        }
        return true;
    }

    private JsonNode browsers(LiveServer server) throws IOException, InterruptedException {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(server.url().resolve("/api/browsers")).build(),
                HttpResponse.BodyHandlers.ofString());
        return json.readTree(answer.body());
    }

    /** Has the solver process run {@code count} steps; returns its stepping time in seconds. */
    private static double steps(ChildJvm solver, long count) throws IOException {
        solver.send("RUN " + count);
        String[] parts = solver.awaitLine("RAN").split("[ =]");
        return Double.parseDouble(parts[4]);
    }

    private static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** CPU of a browser: its main process and every renderer, GPU and utility process under it. */
    private static double treeCpuSeconds(ProcessHandle root) {
        return cpuSeconds(root) + root.descendants().mapToDouble(BrowsersOnServe::cpuSeconds).sum();
    }
}
