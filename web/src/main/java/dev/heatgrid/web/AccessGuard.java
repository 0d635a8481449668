package dev.heatgrid.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The door every request passes, WebSocket upgrades included:
 * <ul>
 *   <li>the token, when there is one, must be in the query ({@code ?token=}), compared in constant time
 *       (the page's script and style, which hold no data, load without it);</li>
 *   <li>served on a loopback address, the Host header must name this machine (localhost, 127.x.x.x,
 *       [::1]), so a web site that makes a name resolve to 127.0.0.1 (DNS rebinding) gets nothing;</li>
 *   <li>a browser's cross-site request is refused for anything but plain reads: another site's page may
 *       neither open the live socket (it would read the frames) nor post a steering command;</li>
 *   <li>every answer forbids framing, sniffing, referrers and any script or connection to elsewhere.</li>
 * </ul>
 */
final class AccessGuard extends Handler.Wrapper {
    private static final int TOKEN_BYTES = 18;
    private static final String POLICY = "default-src 'self'; img-src 'self' data: blob:; connect-src 'self';"
            + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final byte[] token;
    private final boolean loopbackOnly;

    /** @param token the secret, or null for none; @param loopbackOnly whether the server listens on loopback only */
    AccessGuard(String token, boolean loopbackOnly, Handler next) {
        super(next);
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.loopbackOnly = loopbackOnly;
    }

    /** A fresh random token: 144 bits, URL-safe. */
    static String newToken() {
        byte[] bytes = new byte[TOKEN_BYTES];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        var headers = response.getHeaders();
        headers.put("Content-Security-Policy", POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (loopbackOnly && !isLoopbackName(hostName(host))) {
            return refuse(request, response, callback, HttpStatus.FORBIDDEN_403, "this server answers only requests"
                    + " addressed to this machine (Host " + host + " is not localhost)");
        }
        if (token != null && !PageAssets.CODE.contains(Request.getPathInContext(request))
                && !tokenMatches(Request.extractQueryParameters(request).getValue("token"))) {
            return refuse(request, response, callback, HttpStatus.UNAUTHORIZED_401, "this page needs the token:"
                    + " open the URL heatgrid serve printed, which ends in ?token=...");
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        boolean reads = HttpMethod.GET.is(request.getMethod()) || HttpMethod.HEAD.is(request.getMethod());
        boolean upgrade = request.getHeaders().contains(HttpHeader.UPGRADE);
        if (origin != null && (!reads || upgrade) && !sameOrigin(origin, host)) {
            return refuse(request, response, callback, HttpStatus.FORBIDDEN_403, "cross-site request from " + origin
                    + " refused");
        }
        return super.handle(request, response, callback);
    }

    private boolean tokenMatches(String given) {
        return given != null && MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean refuse(Request request, Response response, Callback callback, int status, String why) {
        Response.writeError(request, response, callback, status, why);
        return true;
    }

    /** The host part of a Host header or origin authority, without port or IPv6 brackets; "" if none. */
    static String hostName(String authority) {
        if (authority == null) {
            return "";
        }
        String a = authority.strip().toLowerCase(Locale.ROOT);
        if (a.startsWith("[")) {
            int end = a.indexOf(']');
            return end < 0 ? a : a.substring(1, end);
        }
        int colon = a.indexOf(':');
        return colon < 0 ? a : a.substring(0, colon);
    }

    static boolean isLoopbackName(String host) {
        return host.equals("localhost") || host.endsWith(".localhost") || host.equals("::1")
                || host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }

    /** Whether a browser's Origin header names the same host and port the request was sent to. */
    private static boolean sameOrigin(String origin, String host) {
        try {
            URI uri = URI.create(origin);
            if (uri.getHost() == null || host == null) {
                return false;
            }
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            String expected = host.strip().toLowerCase(Locale.ROOT);
            String given = authority.toLowerCase(Locale.ROOT);
            return given.equals(expected) || (uri.getPort() < 0 && (given + ":80").equals(expected));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
