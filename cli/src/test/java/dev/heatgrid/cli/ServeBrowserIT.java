package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * {@code heatgrid serve} in a real browser: the packaged {@code run}, {@code serve}, {@code steer} and
 * {@code inspect} as separate processes, and headless chromium driven through Selenium. The page must
 * show the generation advancing and the picture changing, in two browsers at once; agree with
 * {@code inspect --json} once the solver is paused; steer the solver (with --allow-steer) through the
 * same checks as {@code heatgrid steer}; and refuse a request without the token. The screenshot in
 * the README is taken here ({@code target/serve-page.png}).
 */
class ServeBrowserIT {
    private static final Pattern URL = Pattern.compile("serving .* at (http://\\S+)");
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String CANVAS_HASH = """
            const c = document.getElementById('heatmap');
            const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
            let h = 0;
            for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]) | 0;
            return h;""";

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    /** Each process's stdout and stderr, in one file. */
    private final java.util.Map<Process, Path> outputs = new java.util.HashMap<>();
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void browserInstalled() {
        Chromium.assumeInstalled();
    }

    @AfterEach
    void stopProcesses() throws InterruptedException {
        for (Process p : processes) {
            p.destroy(); // SIGTERM: run publishes its last frame and leaves; serve closes its sockets
        }
        for (Process p : processes) {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void twoBrowsersFollowTheSolverAgreeWithInspectAndSteerIt() throws Exception {
        Path segment = dir.resolve("plate.hgrid");
        // A time step 100x below the largest stable one: at 24,000 steps a second the plate would be at its
        // steady state (a picture that no longer changes) before the browsers have started; now it takes minutes.
        Process run = start("run", segment.toString(), "--size", "192x128", "--init", "gaussian:100", "--boundary",
                "north=dirichlet:100,south=dirichlet:0,west=neumann,east=neumann", "--threads", "1", "--dt", "0.002");
        PackagedCommand.awaitFile(segment, run);
        String url = serve(segment, "--allow-steer");

        try (Chromium a = Chromium.open(1280, 900); Chromium b = Chromium.open(1000, 760)) {
            a.driver().get(url);
            b.driver().get(url);
            // Both pages advance at the same time: each shows newer generations and a changing picture.
            for (int round = 0; round < 2; round++) {
                for (Chromium page : List.of(a, b)) {
                    long generation = awaitGeneration(page, g -> g > 0);
                    long hash = canvasHash(page);
                    awaitGeneration(page, g -> g > generation);
                    await(page, () -> canvasHash(page) != hash, "the picture to change");
                }
            }
            JsonNode browsers = json.readTree(get(URI.create(url).resolve("/api/browsers")).body());
            assertEquals(2, browsers.size(), browsers.toString());
            for (JsonNode browser : browsers) {
                assertTrue(browser.get("framesSent").asLong() > 0, browsers.toString());
            }

            // Pause from the page: the solver applies it, and the page agrees with inspect --json.
            click(a, "pause");
            await(a, () -> text(a, "steer-result").startsWith("applied at step"), "the pause to be applied");
            JsonNode inspect = awaitStill(a, segment);
            assertEquals("paused", inspect.get("writer").get("state").asText());
            assertEquals(inspect.get("generation").asLong(), Long.parseLong(value(a, "generation")));
            assertEquals(inspect.get("step").asLong(), Long.parseLong(value(a, "step")));
            assertEquals(inspect.get("time").asDouble(), Double.parseDouble(value(a, "time")));
            JsonNode stats = inspect.get("stats").get(0);
            assertEquals(stats.get("min").asDouble(), Double.parseDouble(value(a, "stat-min")));
            assertEquals(stats.get("mean").asDouble(), Double.parseDouble(value(a, "stat-mean")));
            assertEquals(stats.get("max").asDouble(), Double.parseDouble(value(a, "stat-max")));
            assertEquals("paused", text(a, "writer-state"));

            // Colour map: same frame, other colours.
            long inferno = canvasHash(a);
            new Select(a.driver().findElement(By.id("colormap"))).selectByValue("viridis");
            await(a, () -> canvasHash(a) != inferno, "viridis to repaint the frame");

            // The .npy download is the frame on screen, full resolution.
            HttpResponse<byte[]> npy = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(url).resolve(a.driver().findElement(By.id("download-npy")).getDomAttribute("href")))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, npy.statusCode());
            assertEquals(value(a, "generation"), npy.headers().firstValue("X-Heatgrid-Generation").orElseThrow());
            assertTrue(new String(npy.body(), 0, 128, StandardCharsets.US_ASCII).contains("'shape': (128, 192)"));
            assertThePageColoursExactlyTheFrame(a, npy.body(), 192, 128, URI.create(url));

            // set: applied when stable, refused with the solver's reason when not, as heatgrid steer.
            steer(a, "steer-set", "alpha=0.02");
            await(a, () -> text(a, "steer-result").startsWith("applied at step"), "set alpha=0.02 to be applied");
            steer(a, "steer-set", "alpha=1e6");
            await(a, () -> text(a, "steer-result").startsWith("refused by the solver"), "alpha=1e6 to be refused");
            steer(a, "steer-set", "alpha");
            await(a, () -> text(a, "steer-result").contains("is not KEY=VALUE"), "a malformed set to be refused");
            steer(a, "steer-heat", "120,64,14,160"); // a hot disc, slow to fade at alpha 0.02: the README's picture
            await(a, () -> text(a, "steer-result").startsWith("applied at step"), "the heat to be applied");
            JsonNode commands = inspect(segment).get("commands");
            assertEquals("heat 120.0,64.0,14.0,160.0", commands.get(0).get("command").asText(), commands.toString());
            assertEquals("set alpha=1000000.0", commands.get(1).get("command").asText());
            assertEquals("refused", commands.get(1).get("result").asText());
            assertEquals("set alpha=0.02", commands.get(2).get("command").asText());
            assertEquals("applied", commands.get(2).get("result").asText());

            // Resume, and the page moves again; this is the README's screenshot.
            new Select(a.driver().findElement(By.id("colormap"))).selectByValue("inferno");
            click(a, "resume");
            await(a, () -> text(a, "steer-result").startsWith("applied at step"), "the resume to be applied");
            long paused = Long.parseLong(value(a, "generation"));
            awaitGeneration(a, g -> g > paused + 20);
            await(a, () -> Double.parseDouble(value(a, "stat-max")) > 120, "the heated disc on the page");
            Path shot = Path.of("target", "serve-page.png");
            Files.createDirectories(shot.getParent());
            Files.write(shot, a.driver().getScreenshotAs(OutputType.BYTES));
        }
    }

    @Test
    void withATokenEveryRequestNeedsIt() throws Exception {
        Path segment = dir.resolve("secret.hgrid");
        Process run = start("run", segment.toString(), "--size", "64x64", "--init", "gaussian:100", "--threads", "1");
        PackagedCommand.awaitFile(segment, run);
        String url = serve(segment, "--token", "s3cret-t0ken");
        assertTrue(url.endsWith("/?token=s3cret-t0ken"), url);
        URI bare = URI.create(url).resolve("/");

        assertEquals(401, get(bare).statusCode());
        assertEquals(401, get(bare.resolve("/api/status")).statusCode());
        assertEquals(401, get(bare.resolve("/api/frame.npy?token=wrong")).statusCode());
        assertEquals(200, get(bare.resolve("/api/status?token=s3cret-t0ken")).statusCode());
        try (Chromium page = Chromium.open(1000, 760)) {
            page.driver().get(bare.toString());
            assertTrue(page.driver().getPageSource().contains("needs the token"), page.driver().getPageSource());
            page.driver().get(url);
            awaitGeneration(page, g -> g > 0); // with the token, the page, its API calls and its socket all work
        }
    }

    @Test
    void bindingBeyondThisMachineWarnsAndMakesAToken() throws Exception {
        Path segment = dir.resolve("wide.hgrid");
        // Listens on every interface; the test talks to it over loopback only.
        String url = serve(segment, "--bind", "0.0.0.0");
        Matcher token = Pattern.compile("\\?token=([A-Za-z0-9_-]{20,})$").matcher(url);
        assertTrue(token.find(), "a generated token in " + url);
        String output = Files.readString(outputs.get(processes.getLast()));
        assertTrue(output.contains("warning: --bind 0.0.0.0 makes the page reachable from other machines"), output);
        URI local = URI.create("http://127.0.0.1:" + URI.create(url).getPort() + "/");
        assertEquals(401, get(local).statusCode());
        assertEquals(200, get(local.resolve("/?token=" + token.group(1))).statusCode());
    }

    /**
     * The codes the page decoded are exactly the server's quantization of the frame ({@code FrameEncoder}:
     * q = (int) min(max(v * s + 0.5 - lo * s, 0), 65534), s = 65534 / (hi - lo), NaN 65535) of the
     * values in {@code npy} (a grid that fits the picture: one value per pixel), and each pixel of the
     * picture is the colour map's entry for its code in the page's range. So what crossed the socket,
     * its packing and the page's decoder lose nothing, and the page colours what it decoded.
     */
    private void assertThePageColoursExactlyTheFrame(Chromium page, byte[] npy, int nx, int ny, URI url)
            throws Exception {
        @SuppressWarnings("unchecked")
        var shown = (java.util.Map<String, Object>) page.script("""
                const f = state.frame;
                const g = $('heatmap').getContext('2d').getImageData(0, 0, f.meta.width, f.meta.height).data;
                return {lo: f.meta.lo, hi: f.meta.hi, width: f.meta.width, height: f.meta.height,
                        generation: f.meta.generation, range: colourRange(f.meta), map: $('colormap').value,
                        codes: Array.from(f.codes), rgb: Array.from(new Uint32Array(g.buffer), (p) => p & 0xffffff)};""");
        assertEquals(Long.parseLong(value(page, "generation")), ((Number) shown.get("generation")).longValue());
        assertEquals(nx, ((Number) shown.get("width")).intValue());
        assertEquals(ny, ((Number) shown.get("height")).intValue());
        double lo = ((Number) shown.get("lo")).doubleValue();
        double hi = ((Number) shown.get("hi")).doubleValue();
        @SuppressWarnings("unchecked")
        List<Number> codes = (List<Number>) shown.get("codes");
        @SuppressWarnings("unchecked")
        List<Number> range = (List<Number>) shown.get("range");
        @SuppressWarnings("unchecked")
        List<Number> rgb = (List<Number>) shown.get("rgb");
        JsonNode map = null;
        for (JsonNode m : json.readTree(get(url.resolve("/api/colormaps")).body())) {
            if (m.get("name").asText().equals(shown.get("map"))) {
                map = m;
            }
        }
        assertTrue(map != null, "the page's colour map " + shown.get("map") + " is served");

        var values = java.nio.ByteBuffer.wrap(npy).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int data = 10 + (values.getShort(8) & 0xFFFF);
        double scale = hi > lo ? 65_534 / (hi - lo) : 0;
        double offset = 0.5 - lo * scale;
        double min = range.get(0).doubleValue();
        double max = range.get(1).doubleValue();
        double step = hi > lo ? (hi - lo) / 65_534 : 0;
        var distinct = new java.util.HashSet<Integer>();
        for (int row = 0, i = 0; row < ny; row++) {
            for (int x = 0; x < nx; x++, i++) {
                double v = values.getDouble(data + 8 * ((ny - 1 - row) * nx + x)); // the picture's top row is the highest y
                int expected = v == v ? (int) Math.min(Math.max(v * scale + offset, 0), 65_534) : 65_535;
                assertEquals(expected, codes.get(i).intValue(), "code of cell " + x + "," + (ny - 1 - row));
                double position = (lo + expected * step - min) * (256 / (max - min));
                int index = position <= 0 ? 0 : position >= 255 ? 255 : (int) Math.floor(position);
                int colour = expected == 65_535 ? map.get("nan").asInt() : map.get("table").get(index).asInt();
                int pixel = rgb.get(i).intValue(); // ImageData bytes R, G, B, A read as a little-endian word
                int asRgb = (pixel & 0xFF) << 16 | (pixel & 0xFF00) | (pixel >> 16 & 0xFF);
                assertEquals(colour, asRgb, "colour of cell " + x + "," + (ny - 1 - row) + " (code " + expected + ")");
                distinct.add(expected);
            }
        }
        assertTrue(distinct.size() > ny / 2, "the frame is not flat: " + distinct.size() + " distinct codes");
    }

    private Process start(String... args) throws IOException {
        Path out = Files.createTempFile(dir, "out-", ".txt");
        Process process = new ProcessBuilder(PackagedCommand.command(List.of(args))).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        processes.add(process);
        outputs.put(process, out);
        return process;
    }

    /** Starts {@code heatgrid serve SEGMENT --port 0 ARGS} and returns the URL it printed. */
    private String serve(Path segment, String... args) throws Exception {
        var command = new ArrayList<>(List.of("serve", segment.toString(), "--port", "0"));
        command.addAll(List.of(args));
        Process serve = start(command.toArray(String[]::new));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = URL.matcher(Files.readString(outputs.get(serve)));
            if (m.find()) {
                return m.group(1);
            }
            assertTrue(serve.isAlive(), "serve ended: " + Files.readString(outputs.get(serve)));
            Thread.sleep(20);
        }
        throw new AssertionError("serve printed no URL: " + Files.readString(outputs.get(serve)));
    }

    private JsonNode inspect(Path segment) throws Exception {
        PackagedCommand.Result r = PackagedCommand.exec(PATIENCE, List.of("inspect", segment.toString(), "--json"));
        assertEquals(0, r.code(), r.toString());
        return json.readTree(r.out());
    }

    /** Inspects until the page shows the newest generation inspect reports; returns that report. */
    private JsonNode awaitStill(Chromium page, Path segment) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode report;
        do {
            report = inspect(segment);
            if (report.get("writer").get("state").asText().equals("paused")
                    && value(page, "generation").equals(report.get("generation").asText())) {
                return report;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the page shows generation " + value(page, "generation") + ", inspect " + report
                + "\n" + page.console());
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long awaitGeneration(Chromium page, java.util.function.LongPredicate condition) {
        long[] seen = new long[1];
        await(page, () -> condition.test(seen[0] = Long.parseLong(value(page, "generation"))),
                "a generation that fits (last seen " + seen[0] + ")");
        return seen[0];
    }

    private static void await(Chromium page, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
        }
        throw new AssertionError("timed out waiting for " + what + "; status: "
                + page.driver().findElement(By.id("status")).getText() + "\nconsole:\n" + page.console());
    }

    private static long canvasHash(Chromium page) {
        return ((Number) page.script(CANVAS_HASH)).longValue();
    }

    private static String value(Chromium page, String id) {
        String v = page.driver().findElement(By.id(id)).getDomAttribute("data-value");
        return v == null || v.isEmpty() ? "0" : v;
    }

    private static String text(Chromium page, String id) {
        return page.driver().findElement(By.id(id)).getText();
    }

    private static void click(Chromium page, String action) {
        page.driver().findElement(By.cssSelector("#steer button[data-action='" + action + "']")).click();
    }

    private static void steer(Chromium page, String input, String argument) {
        WebElement field = page.driver().findElement(By.id(input));
        field.clear();
        field.sendKeys(argument);
        String action = input.equals("steer-set") ? "set" : "heat";
        page.script("document.getElementById('steer-result').textContent = ''");
        click(page, action);
    }
}
