package dev.heatgrid.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A stand-in for the page on the live socket: collects the server's text messages and frames, and
 * acknowledges each frame as the page does once it has drawn it. Its reading can be held
 * ({@link #hold()}), as a slow browser's would be, and let go again; its acknowledgements can be
 * delayed ({@link #acknowledgeAfter}), as a page that draws slowly would.
 */
final class PageClient implements WebSocket.Listener, AutoCloseable {
    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<JsonNode> texts = new CopyOnWriteArrayList<>();
    final List<DecodedFrame> frames = new CopyOnWriteArrayList<>();
    final List<byte[]> rawFrames = new CopyOnWriteArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    private volatile boolean held;
    private volatile long ackDelayMillis;
    /** Frames received and not acknowledged yet, and the most there ever were. */
    final java.util.concurrent.atomic.AtomicInteger unacknowledged = new java.util.concurrent.atomic.AtomicInteger();
    final java.util.concurrent.atomic.AtomicInteger mostUnacknowledged = new java.util.concurrent.atomic.AtomicInteger();
    private WebSocket socket;

    static PageClient connect(URI page, String query) throws Exception {
        var client = new PageClient();
        URI live = URI.create("ws://" + page.getHost() + ":" + page.getPort() + "/live" + (query == null ? "" : "?" + query));
        client.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(live, client)
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        return client;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            try {
                texts.add(JSON.readTree(text.toString()));
            } catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + text, e);
            }
            text.setLength(0);
        }
        next(webSocket);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            byte[] message = binary.toByteArray();
            binary.reset();
            rawFrames.add(message);
            frames.add(DecodedFrame.of(message));
            mostUnacknowledged.accumulateAndGet(unacknowledged.incrementAndGet(), Math::max);
            acknowledge(webSocket);
        }
        next(webSocket);
        return null;
    }

    private void acknowledge(WebSocket webSocket) {
        long delay = ackDelayMillis;
        Runnable ack = () -> {
            unacknowledged.decrementAndGet();
            synchronized (this) { // one send at a time on a java.net.http WebSocket
                if (!webSocket.isOutputClosed()) {
                    webSocket.sendText("{\"ack\":1}", true).exceptionally(closedMeanwhile -> null).join();
                }
            }
        };
        if (delay == 0) {
            ack.run();
        } else {
            CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(ack);
        }
    }

    /** From now on, acknowledges each frame only {@code millis} after it arrived, as a slow page would. */
    void acknowledgeAfter(long millis) {
        ackDelayMillis = millis;
    }

    private void next(WebSocket webSocket) {
        if (!held) {
            webSocket.request(1);
        }
    }

    /** Stops reading: the server's sends back up in the socket, as for a browser that cannot keep up. */
    void hold() {
        held = true;
    }

    void release() {
        held = false;
        socket.request(1);
    }

    void send(String message) {
        synchronized (this) {
            socket.sendText(message, true).join();
        }
    }

    JsonNode awaitText(Predicate<JsonNode> condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode t : texts) {
                if (condition.test(t)) {
                    return t;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no such message; got " + texts.size() + " texts, last " + (texts.isEmpty() ? "-"
                : texts.getLast()));
    }

    DecodedFrame awaitFrame(Predicate<DecodedFrame> condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (DecodedFrame f : frames) {
                if (condition.test(f)) {
                    return f;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no such frame; got " + frames.size() + ", last generation "
                + (frames.isEmpty() ? "-" : frames.getLast().generation()));
    }

    long newestGeneration() {
        return frames.isEmpty() ? 0 : frames.getLast().generation();
    }

    @Override
    public void close() {
        CompletableFuture<WebSocket> closing = socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        try {
            closing.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
        }
    }
}
