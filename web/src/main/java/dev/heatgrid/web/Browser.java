package dev.heatgrid.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One browser's WebSocket. At most one message is in flight to it at a time; what waits behind it
 * is the newest frame (a newer one replaces it: the dropped frame is counted), the newest status,
 * and the few events that must all arrive in order (run started, history, errors). A frame goes out
 * only once the page has acknowledged every frame sent before it, and the page acknowledges a frame
 * when it starts drawing it (at its next animation frame) or passes it over for a newer one: so the
 * next frame travels while the page draws, the server never sends faster than the page draws, and a
 * page that cannot keep up (or is hidden and draws nothing) gets fewer, newer frames. It never holds
 * up the feed or the other browsers, and the memory it can pin is one frame and a few events.
 * (Public only because Jetty calls the listener methods reflectively.)
 *
 * <p>From the page it takes {@code {"ack": 1}} (a frame taken to draw or passed over), {@code {"field": NAME}}
 * (show another field) and {@code {"painted": N, "decodeMillis": D, "paintMillis": P}} (frames it has
 * drawn so far, for the frame rate it reports, and the main-thread time it spent decoding and drawing
 * them, for what a page costs).
 */
public final class Browser implements Session.Listener.AutoDemanding {
    private static final AtomicLong IDS = new AtomicLong();
    /** Events a page may leave unread (a few per restart or field change) before it is let go. */
    private static final int MAX_WAITING_EVENTS = 32;
    /**
     * Frames sent and not yet acknowledged, at most. One: acknowledged as the page starts drawing it,
     * the next frame is read and sent while the page draws; with two, the second would often arrive
     * before the page's next animation frame and be passed over, read and sent for nothing. (Over a
     * tunnel whose round trip exceeds a frame's drawing, one frame ahead caps the rate at one frame
     * per round trip plus drawing.)
     */
    static final int FRAMES_AHEAD = 1;

    private final long id = IDS.incrementAndGet();
    private final Audience audience;
    private final ObjectMapper json;
    private final String remote;
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    private final AtomicReference<String> status = new AtomicReference<>();
    private final AtomicReference<EncodedFrame> frame = new AtomicReference<>();
    /** True while a send is in flight; whoever sets it sends, whoever clears it looks for more. */
    private final AtomicBoolean sending = new AtomicBoolean();
    /** Frames sent (or being sent) that the page has not acknowledged yet. */
    private final AtomicInteger unacknowledged = new AtomicInteger();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private volatile long framesPainted;
    private volatile double decodeMillis;
    private volatile double paintMillis;
    /** When the page last reported its count (System.nanoTime), so rates need not assume the page's period. */
    private volatile long paintedReportNanos;
    private volatile Session session;
    private volatile String field;
    /**
     * The last frame handed to this browser (the feed's thread only). A browser that joins while the
     * feed hands out a frame is given it by that read and then again by its greeting, which hands it
     * the newest frame: the page got one generation twice, out of the order it relies on.
     */
    private EncodedFrame handed;

    Browser(Audience audience, ObjectMapper json, String remote, String field) {
        this.audience = audience;
        this.json = json;
        this.remote = remote;
        this.field = field;
    }

    @Override
    public void onWebSocketOpen(Session newSession) {
        session = newSession;
        audience.join(this);
    }

    @Override
    public void onWebSocketText(String message) {
        JsonNode request;
        try {
            request = json.readTree(message);
        } catch (java.io.IOException e) {
            event("{\"type\":\"error\",\"message\":\"the server could not read a message from this page\"}");
            return;
        }
        if (request.has("ack")) {
            // Never below zero: a page cannot buy itself more frames in flight by acknowledging too often.
            unacknowledged.getAndUpdate(n -> Math.max(0, n - 1));
            pump();
            if (ready()) {
                audience.ready(); // wake the feed: a newer frame is worth reading for this page now
            }
        }
        if (request.hasNonNull("field")) {
            field = request.get("field").asText();
            audience.fieldChanged(this);
        }
        if (request.has("painted")) {
            paintedReportNanos = System.nanoTime();
            framesPainted = request.get("painted").asLong();
            decodeMillis = request.path("decodeMillis").asDouble();
            paintMillis = request.path("paintMillis").asDouble();
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        audience.leave(this);
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        audience.leave(this);
    }

    /** The field this browser shows (a name the page chose; the feed checks it). */
    String field() {
        return field;
    }

    /** A number for this connection, unique in this server's life (for /api/browsers). */
    long id() {
        return id;
    }

    String remote() {
        return remote;
    }

    long framesSent() {
        return framesSent.get();
    }

    long framesDropped() {
        return framesDropped.get();
    }

    long framesPainted() {
        return framesPainted;
    }

    /** Main-thread milliseconds the page reported spending on decoding the frames it was sent, in all. */
    double decodeMillis() {
        return decodeMillis;
    }

    /** Main-thread milliseconds the page reported spending on colouring and drawing them, in all. */
    double paintMillis() {
        return paintMillis;
    }

    long paintedReportNanos() {
        return paintedReportNanos;
    }

    /** Whether a frame handed to this browser now would go out at once (it is not ahead of its page). */
    boolean ready() {
        return unacknowledged.get() < FRAMES_AHEAD && frame.get() == null;
    }

    void frame(EncodedFrame next) {
        if (next == handed) {
            return; // this very frame was handed to it already (see handed)
        }
        handed = next;
        if (frame.getAndSet(next) != null) {
            framesDropped.incrementAndGet(); // the browser had not taken the previous one yet
        }
        pump();
    }

    void status(String text) {
        status.set(text);
        pump();
    }

    void event(String text) {
        if (events.size() >= MAX_WAITING_EVENTS) {
            // A page that keeps asking (another field, again and again) but never reads: its queue would
            // only grow. Let it go; a real page reconnects and starts afresh.
            audience.leave(this);
            Session s = session;
            if (s != null) {
                s.close(1008, "too many unread messages", Callback.NOOP);
            }
            return;
        }
        events.add(text);
        pump();
    }

    /** Sends the next waiting message if none is in flight. Runs on the feed's and Jetty's threads. */
    private void pump() {
        Session s = session;
        while (s != null && s.isOpen() && sending.compareAndSet(false, true)) {
            String text = events.poll();
            if (text == null) {
                text = status.getAndSet(null);
            }
            if (text != null) {
                s.sendText(text, Callback.from(this::sent, this::failed));
                return;
            }
            EncodedFrame next = unacknowledged.get() < FRAMES_AHEAD ? frame.getAndSet(null) : null;
            if (next != null) {
                unacknowledged.incrementAndGet();
                ByteBuffer bytes = next.bytes();
                s.sendBinary(bytes, Callback.from(() -> {
                    framesSent.incrementAndGet();
                    sent();
                }, this::failed));
                return;
            }
            sending.set(false);
            if (events.isEmpty() && status.get() == null
                    && (frame.get() == null || unacknowledged.get() >= FRAMES_AHEAD)) {
                return; // nothing arrived between our look and the release that we could send: done
            }
        }
    }

    private void sent() {
        sending.set(false);
        pump();
    }

    private void failed(Throwable cause) {
        sending.set(false);
        audience.leave(this);
        Session s = session;
        if (s != null) {
            s.close();
        }
    }

    void close() {
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(1001, "the server is stopping", Callback.NOOP);
        }
    }
}
