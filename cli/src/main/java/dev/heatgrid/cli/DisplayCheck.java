package dev.heatgrid.cli;

import java.awt.AWTError;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.util.Optional;

/**
 * Whether a window can be opened here, asked before anything builds one: a display that is set but
 * unreachable ({@code DISPLAY=:99} with no X server) makes AWT throw an error with a stack trace at
 * the first window, so {@code view} would die and {@code demo} could not fall back to pictures.
 */
final class DisplayCheck {
    private DisplayCheck() {
    }

    /** Why no window can be opened, or empty if one can. */
    static Optional<String> problem() {
        if (GraphicsEnvironment.isHeadless()) {
            String display = System.getenv("DISPLAY");
            return Optional.of(Boolean.getBoolean("java.awt.headless") ? "java.awt.headless is true"
                    : display == null || display.isEmpty() ? "DISPLAY is not set" : "no display");
        }
        try {
            // Connects to the display (X11: opens the connection) without showing anything.
            if (GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices().length == 0) {
                return Optional.of("the display has no screen");
            }
            return Optional.empty();
        } catch (AWTError | HeadlessException | LinkageError e) {
            return Optional.of("DISPLAY is '" + System.getenv("DISPLAY") + "' but no display server answers there");
        }
    }
}
