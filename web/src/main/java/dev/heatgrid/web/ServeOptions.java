package dev.heatgrid.web;

import dev.heatgrid.viewer.ColorMap;
import dev.heatgrid.viewer.ImageSize;
import dev.heatgrid.viewer.Reduction;
import dev.heatgrid.viewer.ViewerOptions;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What to serve and how.
 *
 * @param segment    the segment followed (it need not exist yet; restarts are followed)
 * @param bind       the address to listen on; a loopback address keeps the page on this machine
 * @param port       TCP port, 0 for any free one
 * @param token      the secret every request must carry ({@code ?token=}), or null for none; required
 *                   when {@code bind} is not a loopback address
 * @param steering   how the page's steering requests reach the solver, or null: the page cannot steer
 * @param view       the page's initial field and colour map, the most frames read per second, and how
 *                   blocks of cells become one pixel ({@code range} is ignored: each browser picks its own)
 * @param imageSize  the largest heat map sent to browsers, in pixels; larger grids are reduced to fit
 */
public record ServeOptions(Path segment, String bind, int port, String token, SteeringGate steering,
                           ViewerOptions view, ImageSize imageSize) {
    /** Big enough for a browser window's plot; a 1024² grid goes out as 512 × 512 block means. */
    public static final ImageSize DEFAULT_IMAGE_SIZE = new ImageSize(800, 800);

    public ServeOptions {
        Objects.requireNonNull(segment, "segment");
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(view, "view");
        Objects.requireNonNull(imageSize, "imageSize");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is out of range; allowed 0 (any free port) to 65535");
        }
        if (token != null && token.isBlank()) {
            throw new IllegalArgumentException("the token is empty; give a non-empty secret or none");
        }
    }

    /** Localhost, port 8080, no token, no steering, the viewer's defaults. */
    public static ServeOptions local(Path segment, int port) {
        return new ServeOptions(segment, "127.0.0.1", port, null, null, ViewerOptions.defaults(), DEFAULT_IMAGE_SIZE);
    }

    /** Whether {@link #bind} makes the page reachable from other machines (it is not a loopback address). */
    public boolean beyondThisMachine() {
        return !LiveServer.isLoopback(bind);
    }

    /** The same with a fresh random token (144 bits, URL-safe). */
    public ServeOptions withRandomToken() {
        return withToken(AccessGuard.newToken());
    }

    public ServeOptions withToken(String newToken) {
        return new ServeOptions(segment, bind, port, newToken, steering, view, imageSize);
    }

    public ServeOptions withBind(String newBind) {
        return new ServeOptions(segment, newBind, port, token, steering, view, imageSize);
    }

    public ServeOptions withSteering(SteeringGate gate) {
        return new ServeOptions(segment, bind, port, token, gate, view, imageSize);
    }

    public ServeOptions withView(ViewerOptions newView) {
        return new ServeOptions(segment, bind, port, token, steering, newView, imageSize);
    }

    public ServeOptions withImageSize(ImageSize size) {
        return new ServeOptions(segment, bind, port, token, steering, view, size);
    }

    ColorMap colorMap() {
        return view.colorMap();
    }

    Reduction reduction() {
        return view.reduction();
    }
}
