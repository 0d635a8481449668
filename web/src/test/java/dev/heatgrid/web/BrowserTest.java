package dev.heatgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.junit.jupiter.api.Test;

/**
 * One browser's sending rules, against a session that completes every send at once and records
 * which frames went out.
 */
class BrowserTest {
    /** Generations of the frames sent, in order. */
    private final List<Long> sent = new ArrayList<>();
    private final Session session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
            new Class<?>[] {Session.class}, (proxy, method, args) -> switch (method.getName()) {
                case "isOpen" -> true;
                case "sendBinary" -> {
                    ByteBuffer bytes = (ByteBuffer) args[0];
                    sent.add(bytes.getLong(0));
                    ((Callback) args[1]).succeed();
                    yield null;
                }
                case "sendText" -> {
                    ((Callback) args[1]).succeed();
                    yield null;
                }
                default -> null;
            });

    /**
     * The race LiveServerTest's slow page met once in a CI run (it got one generation twice): a
     * browser that joins while the feed is handing out a frame gets it from that read, and then again
     * from its greeting, which hands a newcomer the newest frame. Before the fix this sent [7, 7].
     */
    @Test
    void aFrameHandedToABrowserTwiceGoesOutOnce() {
        Browser browser = new Browser(new Audience(), new ObjectMapper(), "test", "T");
        browser.onWebSocketOpen(session);
        EncodedFrame seven = frame(7);
        browser.frame(seven); // the read that was under way when the browser joined
        browser.onWebSocketText("{\"ack\": 1}"); // the page starts drawing it
        browser.frame(seven); // the greeting: the newest frame, the same one
        browser.onWebSocketText("{\"ack\": 1}");
        browser.frame(frame(8)); // the next read
        assertEquals(List.of(7L, 8L), sent);
    }

    @Test
    void aNewerFrameReplacesOneThatWaitsAndTheNewestGoesOut() {
        Browser browser = new Browser(new Audience(), new ObjectMapper(), "test", "T");
        browser.onWebSocketOpen(session);
        browser.frame(frame(1)); // goes out: nothing in flight
        browser.frame(frame(2)); // waits for the page's acknowledgement
        browser.frame(frame(3)); // replaces it (dropped, counted)
        browser.onWebSocketText("{\"ack\": 1}");
        assertEquals(List.of(1L, 3L), sent);
        assertEquals(1, browser.framesDropped());
    }

    /** A frame whose message carries its generation in its first 8 bytes, so the fake session can tell. */
    private static EncodedFrame frame(long generation) {
        return new EncodedFrame("T", generation, ByteBuffer.allocate(Long.BYTES).putLong(0, generation).asReadOnlyBuffer());
    }
}
