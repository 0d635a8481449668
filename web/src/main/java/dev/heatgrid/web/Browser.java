package dev.heatgrid.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One browser's WebSocket. At most one message is in flight to it at a time; what waits behind it
 * is the newest frame (a newer one replaces it: the dropped frame is counted), the newest status,
 * and the few events that must all arrive in order (run started, history, errors). So a slow
 * browser gets fewer, newer frames and never holds up the feed or the other browsers, and the
 * memory it can pin is one frame and a few events. (Public only because Jetty calls the listener
 * methods reflectively.)
 *
 * <p>From the page it takes {@code {"field": NAME}} (show another field) and
 * {@code {"painted": N}} (frames it has drawn so far, for the frame rate it reports).
 */
public final class Browser implements Session.Listener.AutoDemanding {
    private static final AtomicLong IDS = new AtomicLong();
    /** Events a page may leave unread (a few per restart or field change) before it is let go. */
    private static final int MAX_WAITING_EVENTS = 32;

    private final long id = IDS.incrementAndGet();
    private final Audience audience;
    private final ObjectMapper json;
    private final String remote;
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
    private final AtomicReference<String> status = new AtomicReference<>();
    private final AtomicReference<EncodedFrame> frame = new AtomicReference<>();
    /** True while a send is in flight; whoever sets it sends, whoever clears it looks for more. */
    private final AtomicBoolean sending = new AtomicBoolean();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private volatile long framesPainted;
    /** When the page last reported its count (System.nanoTime), so rates need not assume the page's period. */
    private volatile long paintedReportNanos;
    private volatile Session session;
    private volatile String field;

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
        if (request.hasNonNull("field")) {
            field = request.get("field").asText();
            audience.fieldChanged(this);
        }
        if (request.has("painted")) {
            paintedReportNanos = System.nanoTime();
            framesPainted = request.get("painted").asLong();
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

    long paintedReportNanos() {
        return paintedReportNanos;
    }

    void frame(EncodedFrame next) {
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
            EncodedFrame next = frame.getAndSet(null);
            if (next != null) {
                ByteBuffer bytes = next.bytes();
                s.sendBinary(bytes, Callback.from(() -> {
                    framesSent.incrementAndGet();
                    sent();
                }, this::failed));
                return;
            }
            sending.set(false);
            if (events.isEmpty() && status.get() == null && frame.get() == null) {
                return; // nothing arrived between our look and the release: done
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
