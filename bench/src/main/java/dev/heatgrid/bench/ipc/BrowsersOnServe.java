package dev.heatgrid.bench.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.web.LiveServer;
import dev.heatgrid.web.ServeOptions;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 16, item 6: the real solver (ftcs, one thread, publishing every step) in a process of its
 * own ({@link SolverProcessMain}), {@code heatgrid serve}'s server in this JVM, and 0, 1 or 4 real
 * browsers (Debian's chromium, headless, each its own process tree) showing the page. Per timed run:
 * the solver's steps/s; the frames/s each page actually painted (the page reports its count to the
 * server every second, {@code /api/browsers}: painted frames between the last report before and after
 * the run, over the time between those reports) and the main-thread time it says it spent decoding
 * and drawing each; the CPU the server used (this JVM, which does nothing else meanwhile), of it the
 * feed thread's (reading and encoding), and the browsers' CPU by chromium process type, in cores.
 * Browser counts alternate round by round, so the machine's moments of load hit all of them alike.
 *
 * <p>Where the browsers run is the {@link Placement}: on loopback beside the server, or in a network
 * namespace (real TCP through a veth pair); optionally pinned to some CPUs with the solver pinned to
 * the others.
 */
final class BrowsersOnServe {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    /** Before a timed run: long enough for pages to load, connect and have JIT-compiled their drawing. */
    private static final Duration SETTLE = Duration.ofSeconds(6);
    /** A page that has not connected and painted by then never will: say so rather than wait for ever. */
    private static final Duration SETTLE_AT_MOST = Duration.ofSeconds(90);
    /** Chromium's process kinds, by their {@code --type=} argument; the main process has none. */
    static final List<String> PROCESS_KINDS = List.of("browser", "renderer", "gpu-process", "utility", "zygote", "other",
            "stand-in");
    private static final java.util.regex.Pattern PROCESS_TYPE = java.util.regex.Pattern.compile("--type=([a-z-]+)");

    /**
     * Where the browsers run, and what they are.
     *
     * @param netns       in a network namespace of their own (real TCP to the server), not on loopback
     * @param browserCpus CPUs the browsers are pinned to ({@code taskset -c} list), or null for any
     * @param solverCpus  CPUs the solver is pinned to, or null for any
     * @param standIns    instead of chromium, {@link PageStandInMain} clients (one JVM for all) that
     *                    acknowledge frames without decoding or drawing them: browsers whose CPU is elsewhere
     */
    record Placement(boolean netns, String browserCpus, String solverCpus, boolean standIns) {
        String describe() {
            return (standIns ? "stand-in pages (acknowledge, never draw)" : "chromium")
                    + (netns ? " in a network namespace (TCP over veth)" : " on loopback")
                    + (browserCpus == null ? "" : ", browsers pinned to CPU " + browserCpus)
                    + (solverCpus == null ? "" : ", solver pinned to CPU " + solverCpus);
        }
    }

    /** One timed run. */
    record Run(int browsers, double stepsPerSecond, double[] paintedPerSecond, double serverCores, double feedCores,
               double browserCores, Map<String, Double> browserCoresByKind, long framesDropped,
               double framesReadPerSecond, double decodeMillis, double paintMillis) {
        double minPainted() {
            double min = Double.NaN;
            for (double p : paintedPerSecond) {
                min = Double.isNaN(min) ? p : Math.min(min, p);
            }
            return min;
        }

        /** The server's CPU per frame it read and encoded, in ms. */
        double serverMillisPerFrame() {
            return framesReadPerSecond == 0 ? Double.NaN : serverCores * 1e3 / framesReadPerSecond;
        }

        /** The feed thread's CPU (read, reduce, verify, encode) per frame, in ms. */
        double feedMillisPerFrame() {
            return framesReadPerSecond == 0 ? Double.NaN : feedCores * 1e3 / framesReadPerSecond;
        }

        /** All the browsers' CPU per frame one page painted, in ms (every process of each browser). */
        double browserMillisPerPaint() {
            double painted = 0;
            for (double p : paintedPerSecond) {
                painted += p;
            }
            return painted == 0 ? Double.NaN : browserCores * 1e3 / painted;
        }
    }

    private final int n;
    private final long warmUpSteps;
    private final long timedSteps;
    private final Placement placement;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    BrowsersOnServe(int n, long warmUpSteps, long timedSteps, Placement placement) {
        this.n = n;
        this.warmUpSteps = warmUpSteps;
        this.timedSteps = timedSteps;
        this.placement = placement;
    }

    List<Run> run(int[] browserCounts, int rounds, Path dir) throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IOException(CHROMIUM + " is not installed (Debian: apt-get install chromium)");
        }
        Path segment = dir.resolve("serve-bench.hgrid");
        var runs = new ArrayList<Run>();
        try (BrowserNetwork network = placement.netns() ? BrowserNetwork.create() : null;
             ChildJvm solver = ChildJvm.start(SolverProcessMain.class, segment.toString(), Integer.toString(n), "1",
                     Long.toString(warmUpSteps), "2");
             LiveServer server = LiveServer.start(network == null ? ServeOptions.local(segment, 0)
                     : ServeOptions.local(segment, 0).withBind(network.hostAddress()).withRandomToken())) {
            if (placement.solverCpus() != null) {
                pin(solver.pid(), placement.solverCpus());
            }
            solver.awaitLine("READY");
            for (int round = 0; round < rounds; round++) {
                for (int browsers : browserCounts) {
                    Run r = timed(solver, server, network, browsers, dir);
                    System.out.printf(java.util.Locale.ROOT, "round %d, %d browser(s): solver %.2f steps/s, painted"
                                    + " %s frames/s (page: decode %.2f ms, paint %.2f ms per frame), server %.3f cores"
                                    + " (feed %.3f) at %.1f frames read/s = %.2f ms CPU per frame read (feed %.2f),"
                                    + " browsers %.2f cores %s = %.1f ms per painted frame, dropped %d%n", round + 1,
                            browsers, r.stepsPerSecond(), java.util.Arrays.toString(r.paintedPerSecond()),
                            r.decodeMillis(), r.paintMillis(), r.serverCores(), r.feedCores(), r.framesReadPerSecond(),
                            r.serverMillisPerFrame(), r.feedMillisPerFrame(), r.browserCores(),
                            r.browserCoresByKind(), r.browserMillisPerPaint(), r.framesDropped());
                    runs.add(r);
                }
            }
        }
        return runs;
    }

    private Run timed(ChildJvm solver, LiveServer server, BrowserNetwork network, int count, Path dir)
            throws Exception {
        var browsers = new ArrayList<Process>();
        var profiles = new ArrayList<Path>();
        try {
            for (int i = 0; i < (placement.standIns() ? Math.min(count, 1) : count); i++) {
                if (placement.standIns()) {
                    var command = new ArrayList<String>();
                    if (placement.browserCpus() != null) {
                        command.addAll(List.of("taskset", "-c", placement.browserCpus()));
                    }
                    command.addAll(PageStandInMain.command(server.url(), count));
                    browsers.add(new ProcessBuilder(network == null ? command : network.inside(command))
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .redirectError(ProcessBuilder.Redirect.INHERIT).start());
                    continue;
                }
                Path profile = Files.createTempDirectory(dir, "chromium-");
                profiles.add(profile);
                var command = new ArrayList<String>();
                if (placement.browserCpus() != null) {
                    command.addAll(List.of("taskset", "-c", placement.browserCpus()));
                }
                command.addAll(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                        "--disable-quic", "--no-first-run", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                        "--user-data-dir=" + profile, "--window-size=1280,900", server.url().toString()));
                browsers.add(new ProcessBuilder(network == null ? command : network.inside(command))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start());
            }
            // The solver runs while pages load (they need frames), then the measured stretch.
            long settleUntil = System.nanoTime() + SETTLE.toNanos();
            long giveUpAt = System.nanoTime() + SETTLE_AT_MOST.toNanos();
            while (System.nanoTime() < settleUntil || (count > 0 && !allPainting(server, count))) {
                if (System.nanoTime() > giveUpAt) {
                    throw new IOException("not all of " + count + " pages painted 20 frames within " + SETTLE_AT_MOST
                            + ": " + browsers(server));
                }
                steps(solver, 20);
            }
            JsonNode before = browsers(server);
            double serverCpu = cpuSeconds(ProcessHandle.current());
            double feedCpu = feedCpuSeconds();
            Map<String, Double> browserCpu = browserCpuSeconds(browsers);
            long wall = System.nanoTime();
            double seconds = steps(solver, timedSteps);
            double elapsed = (System.nanoTime() - wall) / 1e9;
            double serverCores = (cpuSeconds(ProcessHandle.current()) - serverCpu) / elapsed;
            double feedCores = (feedCpuSeconds() - feedCpu) / elapsed;
            Map<String, Double> browserCores = new LinkedHashMap<>();
            double browserTotal = 0;
            for (Map.Entry<String, Double> e : browserCpuSeconds(browsers).entrySet()) {
                double cores = (e.getValue() - browserCpu.getOrDefault(e.getKey(), 0.0)) / elapsed;
                browserCores.put(e.getKey(), Math.round(cores * 1000) / 1000.0);
                browserTotal += cores;
            }
            JsonNode after = browsers(server);
            double[] painted = new double[count];
            long dropped = 0;
            long offered = 0; // every frame read is offered to every browser (all show the same field)
            long paintedFrames = 0;
            double decode = 0;
            double paint = 0;
            for (int i = 0; i < Math.min(count, after.size()); i++) {
                JsonNode a = after.get(i);
                JsonNode b = byId(before, a.get("id").asLong());
                double reports = (a.get("paintedReportMillis").asLong() - b.path("paintedReportMillis").asLong()) / 1e3;
                long framesPainted = a.get("framesPainted").asLong() - b.path("framesPainted").asLong();
                painted[i] = framesPainted / reports;
                paintedFrames += framesPainted;
                decode += a.path("decodeMillis").asDouble() - b.path("decodeMillis").asDouble();
                paint += a.path("paintMillis").asDouble() - b.path("paintMillis").asDouble();
                dropped += a.get("framesDropped").asLong() - b.path("framesDropped").asLong();
                offered += a.get("framesSent").asLong() + a.get("framesDropped").asLong()
                        - b.path("framesSent").asLong() - b.path("framesDropped").asLong();
            }
            double framesRead = count == 0 ? 0 : offered / (double) count;
            return new Run(count, timedSteps / seconds, painted, serverCores, feedCores, browserTotal, browserCores,
                    dropped, framesRead / elapsed, paintedFrames == 0 ? Double.NaN : decode / paintedFrames,
                    paintedFrames == 0 ? Double.NaN : paint / paintedFrames);
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
        URI url = server.url();
        URI api = url.resolve("/api/browsers" + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(api).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(answer.body());
    }

    /** CPU of the server's reading thread ({@code heatgrid-serve-feed}), which reads, verifies and encodes. */
    private double feedCpuSeconds() {
        double total = 0;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith("heatgrid-serve-feed")) {
                total += Math.max(0, threads.getThreadCpuTime(t.getThreadId())) / 1e9;
            }
        }
        return total;
    }

    /** Has the solver process run {@code count} steps; returns its stepping time in seconds. */
    private static double steps(ChildJvm solver, long count) throws IOException {
        solver.send("RUN " + count);
        String[] parts = solver.awaitLine("RAN").split("[ =]");
        return Double.parseDouble(parts[4]);
    }

    private static void pin(long pid, String cpus) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("taskset could not pin process " + pid + " to CPU " + cpus);
        }
    }

    private static double cpuSeconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
    }

    /** CPU of all browsers by process kind: main process, renderers, GPU (software compositing) and utility processes. */
    private static Map<String, Double> browserCpuSeconds(List<Process> browsers) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Process p : browsers) {
            seconds.merge(p.info().commandLine().orElse("").contains(PageStandInMain.class.getName()) ? "stand-in"
                    : "browser", cpuSeconds(p.toHandle()), Double::sum);
            p.toHandle().descendants().forEach(d -> seconds.merge(kind(d), cpuSeconds(d), Double::sum));
        }
        return seconds;
    }

    /**
     * A chromium process's kind, from {@code /proc/PID/cmdline}: chromium rewrites its children's command
     * lines into one string, which {@link ProcessHandle.Info} does not report.
     */
    private static String kind(ProcessHandle process) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
        } catch (IOException e) {
            return "other"; // ended meanwhile
        }
        java.util.regex.Matcher type = PROCESS_TYPE.matcher(line);
        if (!type.find()) {
            return "browser";
        }
        return PROCESS_KINDS.contains(type.group(1)) ? type.group(1) : "other";
    }
}
