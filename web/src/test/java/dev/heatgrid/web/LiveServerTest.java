package dev.heatgrid.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server against a live writer: what every browser receives, how a slow one is treated, restarts, downloads. */
class LiveServerTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private LiveServer server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private LiveServer serve(ServeOptions options) throws Exception {
        server = LiveServer.start(options);
        return server;
    }

    @Test
    void everyBrowserGetsTheSameBytesForAFrameAndTheValuesAreTheFrames() throws Exception {
        Path segment = dir.resolve("shared.hgrid");
        try (LiveWriter writer = LiveWriter.start(segment, 60, 40, 20, false, "1");
             PageClient a = PageClient.connect(serve(ServeOptions.local(segment, 0)).url(), null);
             PageClient b = PageClient.connect(server.url(), null)) {
            JsonNode run = a.awaitText(t -> t.get("type").asText().equals("run"));
            assertEquals(60, run.get("nx").asInt());
            assertEquals("[\"T\",\"phi\"]", run.get("fields").toString());
            assertEquals(30.0, run.get("width").asDouble(), "60 cells of 0.5");
            assertTrue(!run.get("steering").asBoolean(), "no steering without a gate");
            a.awaitText(t -> t.get("type").asText().equals("history"));
            a.awaitText(t -> t.get("type").asText().equals("status") && t.get("generation").asLong() > 0);

            DecodedFrame later = a.awaitFrame(f -> f.generation() > 5);
            long g = later.generation();
            b.awaitFrame(f -> f.generation() >= g + 3);
            a.awaitFrame(f -> f.generation() >= g + 3);
            Map<Long, byte[]> fromA = new HashMap<>();
            for (int i = 0; i < a.frames.size(); i++) {
                fromA.put(a.frames.get(i).generation(), a.rawFrames.get(i));
            }
            int common = 0;
            for (int i = 0; i < b.frames.size(); i++) {
                byte[] mine = fromA.get(b.frames.get(i).generation());
                if (mine != null) {
                    assertArrayEquals(mine, b.rawFrames.get(i), "one encoding, sent to both");
                    common++;
                }
            }
            assertTrue(common >= 2, "the two browsers saw " + common + " frames in common");

            // 60 x 40 fits the image: one block per cell, each value the writer's, to 16 bits.
            assertEquals(1, later.meta().get("blockX").asInt());
            assertEquals("T", later.meta().get("field").asText());
            for (int y = 0; y < 40; y++) {
                for (int x = 0; x < 60; x++) {
                    assertEquals(LiveWriter.value(x, y, g), later.value(x, y), later.resolution(), "cell " + x + "," + y);
                }
            }
            JsonNode stats = later.meta().get("stats").get(0);
            assertEquals(LiveWriter.value(0, 0, g), stats.get("min").asDouble());
            assertEquals(LiveWriter.value(59, 39, g), stats.get("max").asDouble());

            // Another field for one browser only: it alone gets phi, the other keeps T.
            b.send("{\"field\": \"phi\"}");
            DecodedFrame phi = b.awaitFrame(f -> f.meta().get("field").asText().equals("phi"));
            assertEquals(59, phi.value(59, 0), phi.resolution());
            long after = a.newestGeneration();
            a.awaitFrame(f -> f.generation() > after + 2);
            assertTrue(a.frames.stream().allMatch(f -> f.meta().get("field").asText().equals("T")));
        }
    }

    @Test
    void aBrowserThatStopsReadingIsSkippedWhileTheOtherGetsEveryNewFrame() throws Exception {
        Path segment = dir.resolve("slow.hgrid");
        // Noise does not compress: 512 kB a frame, so a browser that does not read backs up within a few frames.
        try (LiveWriter writer = LiveWriter.start(segment, 512, 512, 15, true, "1");
             PageClient fast = PageClient.connect(serve(ServeOptions.local(segment, 0)).url(), null);
             PageClient slow = PageClient.connect(server.url(), null)) {
            slow.awaitFrame(f -> f.generation() > 0);
            slow.hold();
            int fastHad = fast.frames.size();
            // While the slow one reads nothing, the fast one keeps getting newer frames: more than the
            // socket buffers between the server and the slow one can hold (a few MB).
            long deadline = System.nanoTime() + PageClient.PATIENCE.toNanos();
            while (fast.frames.size() < fastHad + 25 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(fast.frames.size() >= fastHad + 25, "the fast browser got " + (fast.frames.size() - fastHad)
                    + " frames while the other one stalled");
            for (int i = fastHad + 1; i < fast.frames.size(); i++) {
                assertTrue(fast.frames.get(i).generation() > fast.frames.get(i - 1).generation());
            }
            int slowGot = slow.frames.size();
            JsonNode browsers = json.readTree(get(server.url().resolve("/api/browsers")).body());
            long dropped = 0;
            for (JsonNode browser : browsers) {
                dropped += browser.get("framesDropped").asLong();
            }
            assertTrue(dropped > 0, "the stalled browser's frames were dropped, not queued: " + browsers);

            slow.release();
            long newest = writer.published();
            slow.awaitFrame(f -> f.generation() >= newest); // it catches up with the newest, not the backlog
            assertTrue(slow.frames.size() - slowGot < 40, "after the stall it got " + (slow.frames.size() - slowGot)
                    + " frames before the newest: only what the socket already held");
        }
    }

    @Test
    void aPageThatDrawsSlowlyIsNeverSentMoreThanItCanDrawAndEndsOnTheNewestFrame() throws Exception {
        Path segment = dir.resolve("drawing.hgrid");
        // 600 frames, one every 5 ms: far more than a page acknowledging one frame per 250 ms can draw.
        try (LiveWriter writer = LiveWriter.start(segment, 64, 48, 5, false, "1", 600);
             PageClient fast = PageClient.connect(serve(ServeOptions.local(segment, 0)).url(), null);
             PageClient slow = PageClient.connect(server.url(), null)) {
            slow.acknowledgeAfter(250);
            fast.awaitFrame(f -> f.generation() == 600);
            DecodedFrame last = slow.awaitFrame(f -> f.generation() == 600); // the newest, not a backlog
            assertTrue(slow.mostUnacknowledged.get() <= Browser.FRAMES_AHEAD, "the slow page had "
                    + slow.mostUnacknowledged.get() + " frames unacknowledged at once");
            int slowFrames = slow.frames.size();
            // ~3 s of publishing at one acknowledgement per 250 ms: a dozen or two frames, each much newer than the last.
            assertTrue(slowFrames < 40, "the slow page was sent " + slowFrames + " frames");
            assertTrue(fast.frames.size() > 2 * slowFrames, "fast " + fast.frames.size() + ", slow " + slowFrames);
            for (int i = 1; i < slowFrames; i++) {
                assertTrue(slow.frames.get(i).generation() > slow.frames.get(i - 1).generation());
            }
            assertEquals(LiveWriter.value(7, 5, 600), last.value(7, 5), last.resolution());
            assertTrue(dropped() > 0, "the frames the slow page could not take were dropped");
        }
    }

    @Test
    void aPageThatAsksButNeverReadsIsLetGo() throws Exception {
        Path segment = dir.resolve("greedy.hgrid");
        try (LiveWriter writer = LiveWriter.start(segment, 512, 512, 15, true, "1");
             PageClient greedy = PageClient.connect(serve(ServeOptions.local(segment, 0)).url(), null)) {
            greedy.awaitFrame(f -> f.generation() > 0);
            greedy.hold();
            long deadline = System.nanoTime() + PageClient.PATIENCE.toNanos();
            long sent = -1;
            long unchangedSince = System.nanoTime();
            // It acknowledges frames it never read, so the server keeps sending (up to 512 kB each) until
            // its socket is full: from then on, what it is sent waits in memory. Full shows as frames
            // dropped for it or, since the server reads frames only for pages that can take one, as a
            // count of frames sent that stands still for a second while acknowledgements keep coming.
            while (dropped() == 0 && System.nanoTime() - unchangedSince < 1_000_000_000L && System.nanoTime() < deadline) {
                greedy.send("{\"ack\": 1}");
                Thread.sleep(20);
                long now = total("framesSent");
                if (now != sent) {
                    sent = now;
                    unchangedSince = System.nanoTime();
                }
            }
            for (int i = 0; i < 200 && browserCount() > 0; i++) {
                greedy.send("{\"field\": \"" + (i % 2 == 0 ? "phi" : "T") + "\"}");
                Thread.sleep(20);
            }
            assertEquals(0, browserCount(), "the page that never reads was dropped, not queued for without end: "
                    + get(server.url().resolve("/api/browsers")).body());
        }
    }

    private long dropped() throws Exception {
        return total("framesDropped");
    }

    /** A counter of /api/browsers, summed over the pages connected. */
    private long total(String counter) throws Exception {
        long sum = 0;
        for (JsonNode browser : json.readTree(get(server.url().resolve("/api/browsers")).body())) {
            sum += browser.get(counter).asLong();
        }
        return sum;
    }

    private int browserCount() throws Exception {
        return json.readTree(get(server.url().resolve("/api/browsers")).body()).size();
    }

    @Test
    void thePageFollowsTheSolverThroughARestart() throws Exception {
        Path segment = dir.resolve("restart.hgrid");
        try (PageClient page = PageClient.connect(serve(ServeOptions.local(segment, 0)).url(), null)) {
            page.awaitText(t -> t.get("type").asText().equals("status") && !t.get("attached").asBoolean());
            try (LiveWriter first = LiveWriter.start(segment, 32, 32, 10, false, "1")) {
                page.awaitFrame(f -> f.generation() > 3);
            }
            int runsBefore = runMessages(page);
            try (LiveWriter second = LiveWriter.start(segment, 48, 16, 10, false, "2")) {
                JsonNode run = page.awaitText(t -> t.get("type").asText().equals("run") && t.get("nx").asInt() == 48);
                assertEquals(16, run.get("ny").asInt());
                assertTrue(runMessages(page) > runsBefore);
                DecodedFrame frame = page.awaitFrame(f -> f.width() == 48 && f.generation() > 2);
                assertEquals(LiveWriter.value(5, 5, frame.generation()), frame.value(5, 5), frame.resolution());
            }
        }
    }

    private static int runMessages(PageClient page) {
        return (int) page.texts.stream().filter(t -> t.get("type").asText().equals("run")).count();
    }

    @Test
    void downloadsAreTheNewestFrameAsNpyAndAsTheViewersPng() throws Exception {
        Path segment = dir.resolve("files.hgrid");
        try (LiveWriter writer = LiveWriter.start(segment, 40, 30, 0, false, "1", 3)) {
            serve(ServeOptions.local(segment, 0));
            while (writer.published() < 3) {
                Thread.sleep(5);
            }
            downloads(segment);
        }
    }

    private void downloads(Path segment) throws Exception {
        HttpResponse<byte[]> npy = getBytes(server.url().resolve("/api/frame.npy?field=phi"));
        assertEquals(200, npy.statusCode());
        long generation = Long.parseLong(npy.headers().firstValue("X-Heatgrid-Generation").orElseThrow());
        assertTrue(npy.headers().firstValue("Content-Disposition").orElseThrow()
                .contains("files-g" + generation + "-phi.npy"));
        try (FrameReader reader = FrameReader.open(segment)) {
            Frame frame = Frame.shapedFor(reader.layout());
            assertEquals(generation, reader.latest(frame));
            assertArrayEquals(frame.field("phi"), npyData(npy.body(), 30, 40));
        }

        HttpResponse<byte[]> png = getBytes(server.url().resolve("/api/frame.png?field=T&colormap=viridis&range=0:5"));
        assertEquals(200, png.statusCode());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertEquals(1000, image.getWidth());
        assertEquals(800, image.getHeight());

        HttpResponse<String> badField = get(server.url().resolve("/api/frame.npy?field=nope"));
        assertEquals(400, badField.statusCode());
        assertTrue(badField.body().contains("no field 'nope'") && badField.body().contains("T, phi"), badField.body());
        HttpResponse<String> badMap = get(server.url().resolve("/api/frame.png?colormap=rainbow"));
        assertEquals(400, badMap.statusCode());
        assertTrue(badMap.body().contains("unknown colour map 'rainbow'"), badMap.body());
        assertEquals(400, get(server.url().resolve("/api/frame.png?range=5:1")).statusCode());
    }

    @Test
    void theStatusSaysWhatTheWriterIsDoing() throws Exception {
        Path segment = dir.resolve("status.hgrid");
        try (LiveWriter writer = LiveWriter.start(segment, 16, 16, 10, false, "1")) {
            serve(ServeOptions.local(segment, 0));
            JsonNode status;
            long deadline = System.nanoTime() + PageClient.PATIENCE.toNanos();
            do {
                status = json.readTree(get(server.url().resolve("/api/status")).body());
                Thread.sleep(50);
            } while (status.path("generation").asLong() == 0 && System.nanoTime() < deadline);
            assertEquals("running", status.get("writer").get("state").asText());
            assertEquals(ProcessHandle.current().pid(), status.get("writer").get("pid").asLong());
            assertEquals("checksum ok", status.get("checksum").asText());
            assertEquals(segment.toString(), status.get("segment").asText());
        }
    }

    static double[] npyData(byte[] npy, int ny, int nx) {
        ByteBuffer in = ByteBuffer.wrap(npy).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = in.getShort(8) & 0xFFFF;
        String header = new String(npy, 10, headerLength, java.nio.charset.StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': (" + ny + ", " + nx + ")"), header);
        in.position(10 + headerLength);
        double[] values = new double[nx * ny];
        in.asDoubleBuffer().get(values);
        assertEquals(10 + headerLength + 8L * nx * ny, npy.length);
        return values;
    }

    static HttpResponse<String> get(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> getBytes(URI uri) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
