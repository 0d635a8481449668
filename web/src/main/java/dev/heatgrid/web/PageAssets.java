package dev.heatgrid.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The page: a fixed list of files loaded from the jar once, at start. A request names one of them or
 * gets a 404; nothing a request says is ever turned into a file name, so no path can lead outside.
 */
final class PageAssets {
    /** One file and its media type. */
    record Asset(byte[] bytes, String contentType) {
    }

    /** The page's code and style: the same for everyone and free of data, so served without the token. */
    static final java.util.Set<String> CODE = java.util.Set.of("/app.js", "/style.css", "/favicon.svg");
    private static final String FOLDER = "page/";
    private final Map<String, Asset> assets;

    PageAssets() {
        Asset index = load("index.html", "text/html; charset=utf-8");
        assets = Map.of(
                "/", index,
                "/index.html", index,
                "/app.js", load("app.js", "text/javascript; charset=utf-8"),
                "/style.css", load("style.css", "text/css; charset=utf-8"),
                "/favicon.svg", load("favicon.svg", "image/svg+xml"));
    }

    /** The asset at {@code path}, or null. */
    Asset get(String path) {
        return assets.get(path);
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = PageAssets.class.getResourceAsStream(FOLDER + name)) {
            if (in == null) {
                throw new IllegalStateException("page file " + name + " is missing from the heatgrid-web jar");
            }
            return new Asset(in.readAllBytes(), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read page file " + name, e);
        }
    }
}
