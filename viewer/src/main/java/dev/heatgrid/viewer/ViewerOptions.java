package dev.heatgrid.viewer;

import java.util.Objects;

/**
 * What to show and how: the choices behind {@code heatgrid view}'s options. Each parser throws an
 * {@link IllegalArgumentException} whose message names the bad value and what is allowed.
 *
 * @param field     field to show, or null for the segment's first field
 * @param colorMap  colour map
 * @param range     fixed colour range, or null for an automatic range (with hysteresis)
 * @param fps       most frames shown per second; newer generations in between are skipped
 * @param reduction how blocks of cells become a pixel when the grid outgrows the panel
 * @param allowOtherOwner open a segment that belongs to another user (the segment refuses by default)
 */
public record ViewerOptions(String field, ColorMap colorMap, ValueRange range, double fps, Reduction reduction,
                            boolean allowOtherOwner) {
    public static final double DEFAULT_FPS = 30;
    public static final double MAX_FPS = 240;

    public ViewerOptions {
        Objects.requireNonNull(colorMap, "colorMap");
        Objects.requireNonNull(reduction, "reduction");
        checkFps(fps, Double.toString(fps));
        if (field != null && field.isBlank()) {
            field = null;
        }
    }

    /** The first field, inferno, automatic range, 30 frames/s, block mean. */
    public static ViewerOptions defaults() {
        return new ViewerOptions(null, ColorMap.INFERNO, null, DEFAULT_FPS, Reduction.MEAN, false);
    }

    public ViewerOptions withField(String newField) {
        return new ViewerOptions(newField, colorMap, range, fps, reduction, allowOtherOwner);
    }

    public ViewerOptions withColorMap(ColorMap newMap) {
        return new ViewerOptions(field, newMap, range, fps, reduction, allowOtherOwner);
    }

    /** A fixed range, or null for automatic. */
    public ViewerOptions withRange(ValueRange newRange) {
        return new ViewerOptions(field, colorMap, newRange, fps, reduction, allowOtherOwner);
    }

    public ViewerOptions withFps(double newFps) {
        return new ViewerOptions(field, colorMap, range, newFps, reduction, allowOtherOwner);
    }

    public ViewerOptions withReduction(Reduction newReduction) {
        return new ViewerOptions(field, colorMap, range, fps, newReduction, allowOtherOwner);
    }

    public ViewerOptions withAllowOtherOwner(boolean allow) {
        return new ViewerOptions(field, colorMap, range, fps, reduction, allow);
    }

    /** Nanoseconds between two frames at {@link #fps}. */
    public long frameIntervalNanos() {
        return (long) (1e9 / fps);
    }

    /** Parses a frame rate: a number in (0, {@value #MAX_FPS}]. */
    public static double parseFps(String text) {
        double fps;
        try {
            fps = Double.parseDouble(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("frame rate '" + text + "' is not a number; allowed: a number of frames"
                    + " per second above 0 and at most " + (int) MAX_FPS + " (default " + (int) DEFAULT_FPS + ")");
        }
        checkFps(fps, text);
        return fps;
    }

    private static void checkFps(double fps, String text) {
        if (!(fps > 0) || fps > MAX_FPS) {
            throw new IllegalArgumentException("frame rate " + text + " is out of range; allowed: above 0 and at most "
                    + (int) MAX_FPS + " frames per second (default " + (int) DEFAULT_FPS + ")");
        }
    }
}
