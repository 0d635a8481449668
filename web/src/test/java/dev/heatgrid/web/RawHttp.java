package dev.heatgrid.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 written by hand on a socket: for requests a well-behaved client will not send (a foreign
 * Host header, paths with {@code ..} or encoded slashes, a cross-site Origin).
 */
final class RawHttp {
    /** Status code and everything after the status line. */
    record Answer(int status, String rest) {
    }

    private RawHttp() {
    }

    static Answer get(int port, String target, String... headers) throws IOException {
        return send(port, "GET", target, null, headers);
    }

    static Answer post(int port, String target, String body, String... headers) throws IOException {
        return send(port, "POST", target, body, headers);
    }

    private static Answer send(int port, String method, String target, String body, String... headers)
            throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(3_000);
            var request = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
            boolean host = false;
            for (String h : headers) {
                request.append(h).append("\r\n");
                host |= h.regionMatches(true, 0, "Host:", 0, 5);
            }
            if (!host) {
                request.append("Host: 127.0.0.1:").append(port).append("\r\n");
            }
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            if (body != null) {
                request.append("Content-Length: ").append(content.length).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(content);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(readHead(in), StandardCharsets.ISO_8859_1);
            String statusLine = answer.substring(0, answer.indexOf("\r\n"));
            return new Answer(Integer.parseInt(statusLine.split(" ")[1]), answer.substring(statusLine.length()));
        }
    }

    /** Reads up to 64 kB, until the server closes; after a 101 (a WebSocket) only the head. */
    private static byte[] readHead(InputStream in) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; out.size() < 65_536 && (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                String so = out.toString(StandardCharsets.ISO_8859_1);
                if (so.startsWith("HTTP/1.1 101") && so.contains("\r\n\r\n")) {
                    break; // the socket stays open and the server starts talking WebSocket: enough
                }
            }
        } catch (java.net.SocketTimeoutException e) {
            // what came so far is the answer
        }
        return out.toByteArray();
    }
}
