package dev.heatgrid.viewer;

import java.awt.Component;
import java.awt.Container;
import java.awt.Frame;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import javax.swing.JComboBox;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;

/**
 * What a person sees of the viewer's window on the (virtual) display, for the window tests here
 * and in the modules above (the window on a real solver, in cli): its parts by name, screenshots of
 * the plot taken from the X server with {@link Robot}, and colours matched to colour-map entries.
 */
public final class WindowScreen {
    private WindowScreen() {
    }

    public static Frame viewerFrame() {
        return Arrays.stream(Frame.getFrames()).filter(f -> f.isDisplayable() && f.getTitle().startsWith("heatgrid view"))
                .findFirst().orElseThrow(() -> new AssertionError("no viewer window on the display"));
    }

    public static <T extends Component> T part(String name, Class<T> type) {
        Component found = find(viewerFrame(), name);
        if (found == null) {
            throw new AssertionError("the window has no part named " + name);
        }
        return type.cast(found);
    }

    private static Component find(Container container, String name) {
        for (Component c : container.getComponents()) {
            if (name.equals(c.getName())) {
                return c;
            }
            if (c instanceof Container inner) {
                Component found = find(inner, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    public static void select(String name, Object item) throws Exception {
        SwingUtilities.invokeAndWait(() -> part(name, JComboBox.class).setSelectedItem(item));
    }

    public static void type(String name, String text) throws Exception {
        SwingUtilities.invokeAndWait(() -> {
            JTextField field = part(name, JTextField.class);
            field.setText(text);
            field.postActionEvent(); // as pressing Enter
        });
    }

    public static <T> T onEdt(java.util.function.Supplier<T> action) {
        Object[] result = new Object[1];
        try {
            SwingUtilities.invokeAndWait(() -> result[0] = action.get());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }

    /** The plot's data area, as the X server shows it. */
    public static BufferedImage plotShot(int minWidth, int minHeight) throws Exception {
        Rectangle area = onEdt(() -> {
            HeatmapPanel panel = part("heatmap", HeatmapPanel.class);
            Rectangle2D data = panel.dataArea();
            Point origin = panel.getLocationOnScreen();
            return new Rectangle((int) Math.round(origin.x + data.getX()), (int) Math.round(origin.y + data.getY()),
                    (int) Math.floor(data.getWidth()), (int) Math.floor(data.getHeight()));
        });
        if (area.width <= minWidth || area.height <= minHeight) {
            throw new AssertionError("the plot is not drawn at least one pixel per cell: " + area);
        }
        return new Robot().createScreenCapture(area);
    }

    public static BufferedImage awaitShot(int minWidth, int minHeight, Duration patience,
                                          Predicate<BufferedImage> condition) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        BufferedImage shot;
        do {
            shot = plotShot(minWidth, minHeight);
            if (condition.test(shot)) {
                return shot;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        writeForInspection(shot, "window-timeout.png");
        throw new AssertionError("the screen never showed what was expected (last screenshot in target/)");
    }




    // ---- colours -------------------------------------------------------------------------------

    /** The map entry closest to {@code rgb} and its squared distance in RGB. */
    public static int[] nearest(ColorMap map, int rgb) {
        int best = 0;
        int bestDistance = Integer.MAX_VALUE;
        for (int i = 0; i < ColorMap.SIZE; i++) {
            int e = map.entry(i);
            int dr = ((e >> 16) & 0xFF) - ((rgb >> 16) & 0xFF);
            int dg = ((e >> 8) & 0xFF) - ((rgb >> 8) & 0xFF);
            int db = (e & 0xFF) - (rgb & 0xFF);
            int d = dr * dr + dg * dg + db * db;
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        }
        return new int[] {best, bestDistance};
    }

    /** Waits until the window's status fits {@code condition}; returns that status. */
    public static ViewerStatus awaitStatus(ViewerWindow window, Duration patience, Predicate<ViewerStatus> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        ViewerStatus status;
        do {
            status = window.status();
            if (status != null && condition.test(status)) {
                return status;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the status never fit; last: " + (status == null ? "none" : status.line()));
    }

    public static void awaitTrue(java.util.function.BooleanSupplier condition, Duration patience, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Whether any thread of a viewer loop is still alive in this JVM. */
    public static boolean viewerThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith("heatgrid-viewer"));
    }

    /**
     * Over the cells of an {@code nx} x {@code ny} grid, the largest difference in colour-map entries
     * between the plot on screen and the data area {@code area} of a PNG of the same frame; every
     * sampled pixel must be a colour of {@code map}.
     */
    public static int worstCellDifference(BufferedImage screen, BufferedImage png, Rectangle2D area, int nx, int ny,
                                          ColorMap map) {
        int worst = 0;
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                double u = (x + 0.5) / nx;
                double v = 1 - (y + 0.5) / ny; // image rows run down, grid rows up
                int onScreen = screen.getRGB((int) (u * screen.getWidth()), (int) (v * screen.getHeight()));
                int inFile = png.getRGB((int) (area.getX() + u * area.getWidth()), (int) (area.getY() + v * area.getHeight()));
                int[] a = nearest(map, onScreen);
                int[] b = nearest(map, inFile);
                if (a[1] > 12 || b[1] > 12) {
                    throw new AssertionError("cell " + x + "," + y + " is not a " + map + " colour");
                }
                worst = Math.max(worst, Math.abs(a[0] - b[0]));
            }
        }
        return worst;
    }

    /** Share of sampled pixels that are (within rounding) colours of {@code map}. */
    public static double fitRatio(BufferedImage shot, ColorMap map) {
        int fit = 0;
        int total = 0;
        for (int y = 2; y < shot.getHeight() - 2; y += 7) {
            for (int x = 2; x < shot.getWidth() - 2; x += 7) {
                total++;
                fit += nearest(map, shot.getRGB(x, y))[1] <= 12 ? 1 : 0;
            }
        }
        return fit / (double) total;
    }

    public static int maxIndex(BufferedImage shot, ColorMap map) {
        int max = 0;
        for (int y = 2; y < shot.getHeight() - 2; y += 5) {
            for (int x = 2; x < shot.getWidth() - 2; x += 5) {
                max = Math.max(max, nearest(map, shot.getRGB(x, y))[0]);
            }
        }
        return max;
    }

    public static boolean samePixels(BufferedImage a, BufferedImage b) {
        return differingPixels(a, b) == 0;
    }

    public static long differingPixels(BufferedImage a, BufferedImage b) {
        long differ = 0;
        int w = Math.min(a.getWidth(), b.getWidth());
        int h = Math.min(a.getHeight(), b.getHeight());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                differ += a.getRGB(x, y) != b.getRGB(x, y) ? 1 : 0;
            }
        }
        return differ;
    }

    public static void writeForInspection(BufferedImage image, String name) throws java.io.IOException {
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            ImageIO.write(image, "png", target.resolve(name).toFile());
        }
    }
}
