package dev.heatgrid.web;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The browsers connected now. The feed asks which fields they want, hands each encoded frame to
 * the browsers showing its field, and broadcasts status; a browser that joins or picks another
 * field is greeted by the feed's thread at its next turn, within one short wait ({@link #newcomers}).
 */
final class Audience {
    private final Set<Browser> browsers = ConcurrentHashMap.newKeySet();
    /** Browsers that joined or changed field and still need the run, history and latest frame. */
    private final Set<Browser> newcomers = ConcurrentHashMap.newKeySet();
    /** Wakes the feed when a browser becomes able to take a frame (it waits for one to be). */
    private volatile Runnable onReady = () -> { };

    void onReady(Runnable action) {
        onReady = action;
    }

    /** A browser acknowledged a frame and could take the next one now. */
    void ready() {
        onReady.run();
    }

    void join(Browser browser) {
        browsers.add(browser);
        newcomers.add(browser);
        onReady.run();
    }

    void fieldChanged(Browser browser) {
        newcomers.add(browser);
        onReady.run();
    }

    void leave(Browser browser) {
        browsers.remove(browser);
        newcomers.remove(browser);
    }

    /** Takes the browsers waiting to be greeted (feed thread). */
    void newcomers(Consumer<Browser> greet) {
        for (Browser b : newcomers) {
            if (newcomers.remove(b) && browsers.contains(b)) {
                greet.accept(b);
            }
        }
    }

    boolean hasNewcomers() {
        return !newcomers.isEmpty();
    }

    List<Browser> browsers() {
        return List.copyOf(browsers);
    }

    int size() {
        return browsers.size();
    }

    /** Hands {@code frame} to every browser whose field, as {@code shown} resolves it, is the frame's. */
    void frame(EncodedFrame frame, java.util.function.Function<Browser, String> shown) {
        for (Browser b : browsers) {
            if (frame.field().equals(shown.apply(b))) {
                b.frame(frame);
            }
        }
    }

    void status(String text) {
        for (Browser b : browsers) {
            b.status(text);
        }
    }

    void event(String text) {
        for (Browser b : browsers) {
            b.event(text);
        }
    }

    void closeAll() {
        for (Browser b : browsers) {
            b.close();
        }
        browsers.clear();
    }
}
