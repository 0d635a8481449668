/**
 * {@code heatgrid serve}: a live page of a segment for web browsers, on this machine or through an
 * SSH tunnel. A reader like the viewer (segment and viewer only, never the solver).
 *
 * <pre>{@code
 * try (LiveServer server = LiveServer.start(ServeOptions.local(segment, 8080))) {
 *     System.out.println("open " + server.url());
 *     server.awaitStopped();
 * }
 * }</pre>
 *
 * <h2>How a frame reaches a browser</h2>
 * {@code FrameFeed} (one thread, at the viewer's lowered priority) follows the segment, reads the
 * newest frame of each field a browser shows, reduced in place and checksum-verified, at most
 * {@code fps} times a second and only when some page can take it; {@code FrameEncoder} turns it into
 * one binary message ({@code CodeRows} packs its codes); {@code Audience} hands the same bytes to every
 * {@code Browser} on that field, each of which keeps only the newest unsent frame and sends it once
 * its page has acknowledged all but one of the frames before. The page ({@code page/} in this
 * package's resources) decodes, colours and draws the newest frame once per animation frame.
 *
 * <h2>Safety</h2>
 * {@code AccessGuard}: loopback by default with a Host check, a token required beyond loopback,
 * same-origin sockets and posts; {@code Routes} reads no file but the segment and the page inside the
 * jar; steering only through a {@link dev.heatgrid.web.SteeringGate} the caller provides.
 */
package dev.heatgrid.web;
