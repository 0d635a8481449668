package dev.heatgrid.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * {@code heatgrid serve}: a live page of one segment for any browser, from an embedded Jetty. One
 * {@link FrameFeed} reads and encodes each frame once; every browser gets it over its own WebSocket
 * ({@code /live}), dropping frames it is too slow for. The page itself is static files inside the jar.
 *
 * <pre>{@code
 * try (LiveServer server = LiveServer.start(ServeOptions.local(segment, 8080))) {
 *     System.out.println("open " + server.url());
 *     server.awaitStopped();
 * }
 * }</pre>
 */
public final class LiveServer implements AutoCloseable {
    /** A browser that sends nothing (not even the page's acknowledgements) for this long is dropped. */
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
    /** Frames are a few hundred kB; a page's own messages are tiny. */
    private static final long MAX_MESSAGE_FROM_PAGE = 16 * 1024;

    private final Server server;
    private final FrameFeed feed;
    private final Audience audience;
    private final URI url;

    private LiveServer(Server server, FrameFeed feed, Audience audience, URI url) {
        this.server = server;
        this.feed = feed;
        this.audience = audience;
        this.url = url;
    }

    /**
     * Starts listening and following the segment.
     *
     * @throws IllegalArgumentException the address is unknown, or it is not a loopback address and no token is given
     * @throws BindException            the port is taken (or may not be used)
     * @throws IOException              the server could not start for another reason
     */
    public static LiveServer start(ServeOptions options) throws IOException {
        boolean loopback = !options.beyondThisMachine();
        if (!loopback && options.token() == null) {
            throw new IllegalArgumentException("address " + options.bind() + " is reachable from other machines:"
                    + " a token is required");
        }
        var json = new ObjectMapper();
        var audience = new Audience();
        var feed = new FrameFeed(options, audience, json);

        var threads = new QueuedThreadPool(16, 2);
        threads.setName("heatgrid-serve");
        threads.setDaemon(true);
        var server = new Server(threads);
        var http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        var connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(options.bind());
        connector.setPort(options.port());
        server.addConnector(connector);

        WebSocketUpgradeHandler live = WebSocketUpgradeHandler.from(server, container -> {
            container.setIdleTimeout(IDLE_TIMEOUT);
            container.setMaxTextMessageSize(MAX_MESSAGE_FROM_PAGE);
            container.setMaxBinaryMessageSize(MAX_MESSAGE_FROM_PAGE);
            container.addMapping("/live", (request, response, callback) -> {
                // Frames are compressed once, by the feed: compressing again per browser would cost CPU per browser.
                response.setExtensions(List.of());
                String field = Request.extractQueryParameters(request).getValue("field");
                return new Browser(audience, json, Request.getRemoteAddr(request), field);
            });
        });
        live.setHandler(new Routes(options, feed, audience, json));
        server.setHandler(new AccessGuard(options.token(), loopback, live));
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    throw new BindException("cannot listen on " + options.bind() + " port " + options.port() + ": "
                            + t.getMessage());
                }
            }
            throw new IOException("the server could not start: " + e.getMessage(), e);
        }
        feed.start();
        String host = displayHost(options.bind(), loopback);
        URI url = URI.create("http://" + host + ":" + connector.getLocalPort() + "/"
                + (options.token() == null ? "" : "?token=" + options.token()));
        return new LiveServer(server, feed, audience, url);
    }

    /** Where a browser on this machine (or, beyond loopback, elsewhere) opens the page; with the token. */
    public URI url() {
        return url;
    }

    public int port() {
        return url.getPort();
    }

    /** Blocks until {@link #close()} (from another thread, e.g. a shutdown hook). */
    public void awaitStopped() throws InterruptedException {
        server.join();
    }

    /** Closes every browser's socket, stops reading (the segment is unmapped) and stops listening. */
    @Override
    public void close() throws InterruptedException {
        audience.closeAll();
        try {
            feed.close();
        } finally {
            stopQuietly(server);
        }
    }

    /** Whether {@code address} (a name or literal) is a loopback address. */
    static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown address '" + address + "'; give an IP address such as"
                    + " 127.0.0.1 (this machine only) or 0.0.0.0 (every interface), or a host name");
        }
    }

    private static String displayHost(String bind, boolean loopback) {
        String host = bind;
        if (!loopback && (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]"))) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                host = bind;
            }
        }
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping is best effort: the threads are daemons and die with the JVM
        }
    }
}
