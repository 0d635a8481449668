package dev.heatgrid.bench.ipc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stand-ins for browsers whose CPU is on another machine: N WebSocket clients on {@code heatgrid
 * serve}'s live socket that speak the page's protocol (acknowledge each frame, report their count
 * every second) but neither decode nor draw. With them, what runs on this machine is the server
 * and the bytes arriving, which is what the solver's machine pays when the browsers are elsewhere
 * ({@code ssh -L}). Args: {@code PAGE_URL N}; runs until stdin closes.
 */
public final class PageStandInMain {
    private PageStandInMain() {
    }

    public static void main(String[] args) throws Exception {
        URI page = URI.create(args[0]);
        int n = Integer.parseInt(args[1]);
        String query = page.getRawQuery() == null ? "" : "?" + page.getRawQuery();
        URI live = URI.create("ws://" + page.getHost() + ":" + page.getPort() + "/live" + query);
        var http = HttpClient.newHttpClient();
        var clients = new ArrayList<Client>();
        for (int i = 0; i < n; i++) {
            var client = new Client();
            http.newWebSocketBuilder().buildAsync(live, client).get(30, TimeUnit.SECONDS);
            clients.add(client);
        }
        var reports = Executors.newSingleThreadScheduledExecutor();
        reports.scheduleAtFixedRate(() -> clients.forEach(Client::report), 1, 1, TimeUnit.SECONDS);
        System.out.println("CONNECTED");
        System.out.flush();
        while (System.in.read() >= 0) {
            // until the harness closes our stdin
        }
        reports.shutdownNow();
        for (Client c : clients) {
            c.socket.abort();
        }
    }

    private static final class Client implements WebSocket.Listener {
        private final AtomicLong frames = new AtomicLong();
        private volatile WebSocket socket;
        /** The last send: each send starts when it is done (one at a time), and none blocks a listener thread. */
        private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

        @Override
        public void onOpen(WebSocket webSocket) {
            socket = webSocket; // frames may arrive before buildAsync's future hands the socket to main
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (last) {
                frames.incrementAndGet();
                send("{\"ack\":1}"); // taken, as a page takes a frame to draw it
            }
            webSocket.request(1);
            return null;
        }

        void report() {
            send("{\"painted\":" + frames.get() + "}");
        }

        private synchronized void send(String text) {
            sending = sending.thenCompose(done -> socket.isOutputClosed() ? CompletableFuture.completedFuture(null)
                    : socket.sendText(text, true)).exceptionally(closed -> null);
        }
    }

    /** The command that runs {@code n} stand-ins on {@code page} with this JVM's class path. */
    static List<String> command(URI page, int n) {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        return List.of(java, "-cp", System.getProperty("java.class.path"), PageStandInMain.class.getName(),
                page.toString(), Integer.toString(n));
    }
}
