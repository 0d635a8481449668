package dev.heatgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server refuses: requests without the token, a foreign Host (DNS rebinding), cross-site
 * sockets and posts, steering unless allowed, any path but the page's own files, a port in use.
 */
class SafeByDefaultTest {
    private static final String ORIGIN = "Origin: http://evil.example";
    private static final String WEBSOCKET = "Upgrade: websocket";

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private LiveServer server;

    @AfterEach
    void stop() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private int serve(ServeOptions options) throws IOException {
        server = LiveServer.start(options);
        return server.port();
    }

    @Test
    void theDefaultIsThisMachineOnlyWithoutAToken() throws IOException {
        ServeOptions options = ServeOptions.local(dir.resolve("x.hgrid"), 0);
        assertEquals("127.0.0.1", options.bind());
        assertFalse(options.beyondThisMachine());
        int port = serve(options);
        assertEquals("http://127.0.0.1:" + port + "/", server.url().toString());
        assertEquals(200, RawHttp.get(port, "/").status());
        assertEquals(200, RawHttp.get(port, "/", "Host: localhost:" + port).status());
    }

    @Test
    void beyondThisMachineATokenIsRequiredAndEnforced() throws IOException {
        ServeOptions wide = ServeOptions.local(dir.resolve("x.hgrid"), 0).withBind("0.0.0.0");
        assertTrue(wide.beyondThisMachine());
        var refused = assertThrows(IllegalArgumentException.class, () -> LiveServer.start(wide));
        assertTrue(refused.getMessage().contains("a token is required"), refused.getMessage());

        // Listening everywhere; we talk to it over loopback only.
        ServeOptions withToken = wide.withRandomToken();
        assertTrue(withToken.token().length() >= 24, "a long random token: " + withToken.token());
        int port = serve(withToken);
        assertTrue(server.url().getQuery().equals("token=" + withToken.token()), server.url().toString());
        String token = "?token=" + withToken.token();
        for (String path : List.of("/", "/api/status", "/api/frame.npy", "/api/colormaps", "/live")) {
            assertEquals(401, RawHttp.get(port, path).status(), path);
            assertEquals(401, RawHttp.get(port, path + "?token=" + withToken.token() + "x").status(), path);
        }
        assertEquals(200, RawHttp.get(port, "/" + token).status());
        assertEquals(200, RawHttp.get(port, "/api/colormaps" + token).status());
        assertEquals(200, RawHttp.get(port, "/app.js").status(), "the page's code holds no data");
        // Off loopback, the Host header may name the machine however the network does.
        assertEquals(200, RawHttp.get(port, "/" + token, "Host: workstation.example:" + port).status());
    }

    @Test
    void aForeignHostNameIsRefusedOnLoopback() throws IOException {
        int port = serve(ServeOptions.local(dir.resolve("x.hgrid"), 0));
        // A page on evil.example that made its name resolve to 127.0.0.1 sends Host: evil.example.
        RawHttp.Answer answer = RawHttp.get(port, "/api/status", "Host: evil.example:" + port);
        assertEquals(403, answer.status());
        assertTrue(answer.rest().contains("addressed to this machine"), answer.rest());
        assertEquals(403, RawHttp.get(port, "/", "Host: 127.0.0.1.evil.example").status());
    }

    @Test
    void anotherSiteCanNeitherOpenTheSocketNorPost() throws IOException {
        int port = serve(ServeOptions.local(dir.resolve("x.hgrid"), 0).withSteering((a, b) -> {
            throw new AssertionError("a cross-site post reached the solver");
        }));
        String key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
        List<String> upgrade = List.of(WEBSOCKET, "Connection: Upgrade", key, "Sec-WebSocket-Version: 13");
        assertEquals(403, RawHttp.get(port, "/live", concat(upgrade, ORIGIN)).status());
        assertEquals(101, RawHttp.get(port, "/live",
                concat(upgrade, "Origin: http://127.0.0.1:" + port)).status(), "the page's own origin may");
        assertEquals(403, RawHttp.post(port, "/api/steer", "{\"action\": \"stop\"}", ORIGIN,
                "Content-Type: application/json").status());
        // A form (text/plain, no preflight) is not a command, whatever its origin.
        assertEquals(415, RawHttp.post(port, "/api/steer", "{\"action\": \"stop\"}",
                "Content-Type: text/plain").status());
    }

    @Test
    void steeringGoesThroughTheGateOnlyWhenAllowed() throws Exception {
        Path segment = dir.resolve("x.hgrid");
        int port = serve(ServeOptions.local(segment, 0));
        RawHttp.Answer off = RawHttp.post(port, "/api/steer", "{\"action\": \"pause\"}",
                "Content-Type: application/json");
        assertEquals(403, off.status());
        assertTrue(off.rest().contains("steering is off"), off.rest());
        server.close();

        var seen = new CopyOnWriteArrayList<String>();
        port = serve(ServeOptions.local(segment, 0).withSteering((action, argument) -> {
            seen.add(action + " " + argument);
            return switch (action) {
                case "set" -> new SteeringGate.Verdict(!argument.equals("alpha=9"), 120,
                        argument.equals("alpha=9") ? "unstable: alpha*dt... > 1/2" : "");
                case "pause" -> new SteeringGate.Verdict(true, 100, "");
                case "stop" -> throw new IOException("segment x has no running writer");
                default -> throw new IllegalArgumentException("unknown action '" + action + "'");
            };
        }));
        String json = "Content-Type: application/json; charset=utf-8";
        RawHttp.Answer pause = RawHttp.post(port, "/api/steer", "{\"action\": \"pause\"}", json);
        assertEquals(200, pause.status());
        assertTrue(pause.rest().contains("\"applied\":true") && pause.rest().contains("\"step\":100"), pause.rest());
        RawHttp.Answer refused = RawHttp.post(port, "/api/steer",
                "{\"action\": \"set\", \"argument\": \"alpha=9\"}", json);
        assertTrue(refused.rest().contains("\"applied\":false") && refused.rest().contains("unstable"), refused.rest());
        RawHttp.Answer unknown = RawHttp.post(port, "/api/steer", "{\"action\": \"explode\"}", json);
        assertEquals(400, unknown.status());
        assertTrue(unknown.rest().contains("unknown action 'explode'"), unknown.rest());
        assertEquals(503, RawHttp.post(port, "/api/steer", "{\"action\": \"stop\"}", json).status());
        assertEquals(400, RawHttp.post(port, "/api/steer", "not json", json).status());
        assertEquals(400, RawHttp.post(port, "/api/steer", "{\"argument\": \"x\"}", json).status());
        assertEquals(413, RawHttp.post(port, "/api/steer", "{\"action\": \"" + "a".repeat(5000) + "\"}",
                json).status());
        assertEquals(405, RawHttp.get(port, "/api/steer").status());
        assertEquals(List.of("pause ", "set alpha=9", "explode ", "stop "), seen);
    }

    @Test
    void noPathLeadsToAFileOtherThanThePage() throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "root:x:0:0 the secret");
        int port = serve(ServeOptions.local(dir.resolve("x.hgrid"), 0));
        String up = "../".repeat(12);
        List<String> attempts = List.of(
                "/" + up + "etc/passwd",
                "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                "/..%2f..%2f..%2fetc%2fpasswd",
                "/app.js/../../../etc/passwd",
                "/app.js%00.html",
                "/" + up + secret.toString().substring(1),
                "/%2e%2e%2f" + secret.getFileName(),
                "/page/app.js",
                "/dev/heatgrid/web/page/index.html",
                "/dev/heatgrid/web/LiveServer.class",
                "/jetty-logging.properties",
                "/META-INF/MANIFEST.MF",
                "/api/frame.npy?field=" + up + "etc/passwd",
                "/api/frame.png?field=/etc/passwd",
                "//etc/passwd",
                "/C:/Windows/win.ini");
        for (String path : attempts) {
            RawHttp.Answer answer = RawHttp.get(port, path);
            assertTrue(answer.status() == 400 || answer.status() == 404 || answer.status() == 503,
                    path + " -> " + answer.status());
            assertFalse(answer.rest().contains("root:x:0:0"), path + " leaked a file");
            assertFalse(answer.rest().contains("the secret"), path + " leaked a file");
            assertFalse(answer.rest().contains("CAFEBABE") || answer.rest().contains("\u00ca\u00fe\u00ba\u00be"),
                    path + " leaked a class");
        }
    }

    @Test
    void aPortInUseIsSaidPlainly() throws IOException {
        int port = serve(ServeOptions.local(dir.resolve("x.hgrid"), 0));
        var taken = assertThrows(BindException.class, () -> LiveServer.start(ServeOptions.local(dir.resolve("y.hgrid"),
                port)));
        assertTrue(taken.getMessage().startsWith("cannot listen on 127.0.0.1 port " + port), taken.getMessage());
    }

    private static String[] concat(List<String> headers, String more) {
        var all = new java.util.ArrayList<>(headers);
        all.add(more);
        return all.toArray(String[]::new);
    }
}
