package dev.heatgrid.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.viewer.ColorMap;
import dev.heatgrid.viewer.ImageSize;
import dev.heatgrid.viewer.NpyFormat;
import dev.heatgrid.viewer.Snapshot;
import dev.heatgrid.viewer.ValueRange;
import dev.heatgrid.viewer.ViewerOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Everything but the live socket: the page's files and a small API.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>GET /, /app.js, /style.css, /favicon.svg</td><td>the page</td></tr>
 *   <tr><td>GET /api/status</td><td>the feed's latest status (as pushed to the page)</td></tr>
 *   <tr><td>GET /api/colormaps</td><td>the colour tables, exactly the viewer's</td></tr>
 *   <tr><td>GET /api/browsers</td><td>each connected browser: frames sent, dropped, and painted as the page
 *       last reported (with when, on this machine's monotonic clock, and the page's own decoding and
 *       drawing time)</td></tr>
 *   <tr><td>GET /api/frame.png?field=&amp;colormap=&amp;range=</td><td>the newest frame as {@code view --out FILE.png} draws it</td></tr>
 *   <tr><td>GET /api/frame.npy?field=</td><td>the newest frame's field, full resolution, checksums verified</td></tr>
 *   <tr><td>POST /api/steer</td><td>{@code {"action": ..., "argument": ...}} through the steering gate</td></tr>
 * </table>
 *
 * The only file this reads is the served segment (and a temporary PNG it writes itself).
 */
final class Routes extends Handler.Abstract {
    private static final int MAX_STEER_BODY = 4096;

    private final ServeOptions options;
    private final FrameFeed feed;
    private final Audience audience;
    private final ObjectMapper json;
    private final PageAssets page = new PageAssets();
    private final byte[] colorMaps;

    Routes(ServeOptions options, FrameFeed feed, Audience audience, ObjectMapper json) {
        this.options = options;
        this.feed = feed;
        this.audience = audience;
        this.json = json;
        this.colorMaps = Json.bytes(json, colorMapTables());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        boolean read = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
        if (path.equals("/api/steer")) {
            if (!HttpMethod.POST.is(request.getMethod())) {
                return error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "use POST for /api/steer");
            }
            return steer(request, response, callback);
        }
        if (!read) {
            return error(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, request.getMethod() + " is not"
                    + " allowed here");
        }
        Fields query = Request.extractQueryParameters(request);
        try {
            return switch (path) {
                case "/api/status" -> send(response, callback, "application/json", Json.bytes(json, feed.status()));
                case "/api/colormaps" -> send(response, callback, "application/json", colorMaps);
                case "/api/browsers" -> send(response, callback, "application/json", Json.bytes(json, browsers()));
                case "/api/frame.png" -> png(query, response, callback);
                case "/api/frame.npy" -> npy(query, request, response, callback);
                default -> {
                    PageAssets.Asset asset = page.get(path);
                    if (asset == null) {
                        yield error(response, callback, HttpStatus.NOT_FOUND_404, "nothing at " + path);
                    }
                    yield send(response, callback, asset.contentType(), asset.bytes());
                }
            };
        } catch (IllegalArgumentException e) {
            return error(response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
        } catch (NoSuchFileException e) {
            return error(response, callback, HttpStatus.NOT_FOUND_404, e.getReason() != null ? e.getReason()
                    : "no segment at " + e.getFile());
        } catch (IOException e) {
            return error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, e.getMessage());
        }
    }

    /** The newest frame drawn like {@code heatgrid view --out FILE.png}: axes, colour bar, title. */
    private boolean png(Fields query, Response response, Callback callback) throws IOException, InterruptedException {
        String field = query.getValue("field");
        String map = query.getValue("colormap");
        String range = query.getValue("range");
        ViewerOptions view = options.view().withField(field)
                .withColorMap(map == null || map.isBlank() ? options.colorMap() : ColorMap.parse(map))
                .withRange(range == null || range.isBlank() ? null : ValueRange.parse(range));
        Path png = Files.createTempFile("heatgrid-serve-", ".png");
        try {
            Snapshot.Result result = Snapshot.write(options.segment(), view, png, ImageSize.DEFAULT, Duration.ZERO);
            attachment(response, result.generation(), result.field(), ".png");
            return send(response, callback, "image/png", Files.readAllBytes(png));
        } finally {
            Files.deleteIfExists(png);
        }
    }

    /** The newest frame's field at full resolution as NumPy .npy, from a consistent, checksum-verified copy. */
    private boolean npy(Fields query, Request request, Response response, Callback callback) throws IOException {
        try (FrameReader reader = FrameReader.open(options.segment(), options.view().allowOtherOwner())) {
            List<String> fields = reader.layout().fields();
            String field = query.getValue("field");
            int f = field == null || field.isBlank() ? 0 : fields.indexOf(field);
            if (f < 0) {
                throw new IllegalArgumentException("no field '" + field + "' in segment " + reader.path() + "; it has: "
                        + String.join(", ", fields));
            }
            Frame frame = Frame.shapedFor(reader.layout());
            long generation = reader.latest(frame);
            if (generation == 0) {
                throw new IOException("segment " + reader.path() + " has no frame yet");
            }
            response.setStatus(HttpStatus.OK_200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, NpyFormat.size(frame.nx(), frame.ny()));
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            attachment(response, generation, fields.get(f), ".npy");
            try (OutputStream out = Response.asBufferedOutputStream(request, response)) {
                NpyFormat.write(out, frame.field(f), frame.nx(), frame.ny());
            }
            callback.succeeded();
            return true;
        }
    }

    private boolean steer(Request request, Response response, Callback callback) throws IOException {
        SteeringGate gate = options.steering();
        if (gate == null) {
            return error(response, callback, HttpStatus.FORBIDDEN_403, "steering is off: the server was started"
                    + " without permission to steer");
        }
        String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            // A cross-site form cannot send this type without the browser asking first (and we never agree).
            return error(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, "send the command as"
                    + " application/json");
        }
        if (request.getLength() > MAX_STEER_BODY) {
            return error(response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413, "a steering command is at most "
                    + MAX_STEER_BODY + " bytes");
        }
        JsonNode body;
        try {
            String text = Content.Source.asString(request, StandardCharsets.UTF_8);
            body = text.length() > MAX_STEER_BODY ? null : json.readTree(text);
        } catch (IOException e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.path("action").isTextual()) {
            return error(response, callback, HttpStatus.BAD_REQUEST_400, "expected {\"action\": \"pause|resume|stop"
                    + "|set|heat\", \"argument\": \"...\"}");
        }
        String action = body.get("action").asText();
        String argument = body.path("argument").asText("");
        try {
            SteeringGate.Verdict verdict = gate.steer(action, argument);
            var answer = new LinkedHashMap<String, Object>();
            answer.put("applied", verdict.applied());
            answer.put("step", verdict.step());
            answer.put("message", verdict.message());
            return send(response, callback, "application/json", Json.bytes(json, answer));
        } catch (IllegalArgumentException e) {
            return error(response, callback, HttpStatus.BAD_REQUEST_400, e.getMessage());
        } catch (IOException e) {
            return error(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, e.getMessage());
        }
    }

    private List<Object> browsers() {
        var list = new ArrayList<Object>();
        for (Browser b : audience.browsers()) {
            var map = new LinkedHashMap<String, Object>();
            map.put("id", b.id());
            map.put("remote", b.remote());
            map.put("field", b.field());
            map.put("framesSent", b.framesSent());
            map.put("framesDropped", b.framesDropped());
            map.put("framesPainted", b.framesPainted());
            map.put("decodeMillis", b.decodeMillis());
            map.put("paintMillis", b.paintMillis());
            map.put("paintedReportMillis", b.paintedReportNanos() / 1_000_000);
            list.add(map);
        }
        return list;
    }

    private static List<Object> colorMapTables() {
        var list = new ArrayList<Object>();
        for (ColorMap map : ColorMap.values()) {
            int[] table = new int[ColorMap.SIZE];
            for (int i = 0; i < table.length; i++) {
                table[i] = map.entry(i) & 0xFF_FFFF;
            }
            var entry = new LinkedHashMap<String, Object>();
            entry.put("name", map.id());
            entry.put("description", map.description());
            entry.put("diverging", map.diverging());
            entry.put("table", table);
            entry.put("nan", ColorMap.NAN_ARGB & 0xFF_FFFF);
            list.add(entry);
        }
        return list;
    }

    /** Names the download after the segment, generation and field: {@code plate-g1200-temperature.npy}. */
    private void attachment(Response response, long generation, String field, String extension) {
        String segment = options.segment().getFileName().toString().replaceFirst("\\.hgrid$", "");
        String name = (segment + "-g" + generation + "-" + field).replaceAll("[^A-Za-z0-9._-]", "_") + extension;
        response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, "attachment; filename=\"" + name + "\"");
        response.getHeaders().put("X-Heatgrid-Generation", Long.toString(generation));
    }

    private static boolean send(Response response, Callback callback, String type, byte[] body) {
        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private boolean error(Response response, Callback callback, int status, String message) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(Json.bytes(json, Map.of("error", message))), callback);
        return true;
    }
}
