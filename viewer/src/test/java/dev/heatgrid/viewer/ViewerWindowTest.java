package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.AttachedProcesses;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live window on a real (virtual) display, on a live writer in another JVM: it paints newer
 * generations as they come; what is on the screen is, cell for cell, what the headless PNG of the
 * same generation shows; the colour map, range and field controls change what is painted; and
 * closing it leaves no thread, mapping or attachment behind. Screenshots are taken with
 * {@link Robot} from the X server itself, so they show what a person would see.
 */
@ExtendWith(XvfbDisplay.class)
class ViewerWindowTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    /** Colour-map entries two colours of the same value may differ by (scaling, rounding); of 256. */
    private static final int INDEX_TOLERANCE = 2;
    private static final int NX = 96;
    private static final int NY = 64;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private ViewerWindow window;
    private JvmProcess writer;

    @AfterEach
    void closeEverything() throws Exception {
        if (window != null) {
            window.close();
            window.awaitClosed(PATIENCE);
        }
        if (writer != null) {
            writer.close();
        }
    }

    @Test
    void paintsNewerGenerationsAsTheyComeAndClosingLeavesNothingBehind() throws Exception {
        Path segment = dir.resolve("live.hgrid");
        writer = JvmProcess.start(HotSpotWriterMain.class, segment.toString(), Integer.toString(NX),
                Integer.toString(NY), "1", "0", "40");
        writer.awaitLine("READY", PATIENCE);
        window = ViewerWindow.open(segment, ViewerOptions.defaults());

        long generation = awaitStatus(s -> s.generation() > 0 && s.solver() == SolverState.RUNNING).generation();
        BufferedImage before = plotShot();
        for (int i = 0; i < 3; i++) {
            long previous = generation;
            generation = awaitStatus(s -> s.generation() > previous + 2).generation();
            BufferedImage after = awaitShot(shot -> !samePixels(shot, before));
            assertNotEquals(0, differingPixels(before, after), "the hot spot moved on screen");
        }
        assertTrue(attachedPids(segment).contains(ProcessHandle.current().pid()));

        ViewerWindow open = window;
        window = null;
        open.close();
        assertTrue(open.awaitClosed(PATIENCE), "the window closed");
        awaitTrue(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.isAlive() && t.getName().startsWith("heatgrid-viewer")), "viewer threads to end");
        awaitTrue(() -> Arrays.stream(Frame.getFrames()).noneMatch(Frame::isDisplayable), "the frame to be disposed");
        assertFalse(attachedPids(segment).contains(ProcessHandle.current().pid()), "our attachment is gone");
        assertTrue(Files.readAllLines(Path.of("/proc/self/maps")).stream().noneMatch(l -> l.contains(segment.toString())),
                "the segment is unmapped");
        assertTrue(writer.isAlive(), "the writer never noticed");
    }

    @Test
    void theScreenShowsWhatTheHeadlessPngOfTheSameGenerationShows() throws Exception {
        Path segment = dir.resolve("still.hgrid");
        writer = JvmProcess.start(HotSpotWriterMain.class, segment.toString(), Integer.toString(NX),
                Integer.toString(NY), "1", "25", "5", "keep");
        writer.awaitLine("DONE", PATIENCE);
        ViewerOptions options = ViewerOptions.defaults().withRange(new ValueRange(HotSpot.BACKGROUND, HotSpot.PEAK));
        window = ViewerWindow.open(segment, options);
        awaitStatus(s -> s.generation() == 25 && s.solver() == SolverState.EXITED);
        BufferedImage screen = plotShot();

        Path png = dir.resolve("same.png");
        Snapshot.Result result = Snapshot.write(segment, options, png, ImageSize.DEFAULT, Duration.ZERO);
        assertEquals(25, result.generation());
        BufferedImage file = ImageIO.read(png.toFile());
        Rectangle2D area = result.dataArea();

        int worst = 0;
        for (int y = 0; y < NY; y++) {
            for (int x = 0; x < NX; x++) {
                double u = (x + 0.5) / NX;
                double v = 1 - (y + 0.5) / NY; // image rows run down, grid rows up
                int onScreen = screen.getRGB((int) (u * screen.getWidth()), (int) (v * screen.getHeight()));
                int inFile = file.getRGB((int) (area.getX() + u * area.getWidth()),
                        (int) (area.getY() + v * area.getHeight()));
                int[] a = nearest(ColorMap.INFERNO, onScreen);
                int[] b = nearest(ColorMap.INFERNO, inFile);
                assertTrue(a[1] <= 12 && b[1] <= 12, "cell " + x + "," + y + " is not an inferno colour");
                worst = Math.max(worst, Math.abs(a[0] - b[0]));
            }
        }
        assertTrue(worst <= INDEX_TOLERANCE, "screen and PNG differ by " + worst + " colour-map entries");
        writeForInspection(screen, "window-screen.png");
    }

    @Test
    void colourMapRangeAndFieldChangeWhatIsPainted() throws Exception {
        Path segment = dir.resolve("controls.hgrid");
        writer = JvmProcess.start(HotSpotWriterMain.class, segment.toString(), Integer.toString(NX),
                Integer.toString(NY), "1", "10", "5", "keep", "phi");
        writer.awaitLine("DONE", PATIENCE);
        window = ViewerWindow.open(segment, ViewerOptions.defaults());
        awaitStatus(s -> s.generation() == 10 && "T".equals(s.field()));
        awaitShot(shot -> fitRatio(shot, ColorMap.INFERNO) > 0.99);

        select("colormap", ColorMap.VIRIDIS);
        awaitShot(shot -> fitRatio(shot, ColorMap.VIRIDIS) > 0.99 && fitRatio(shot, ColorMap.INFERNO) < 0.5);

        type("range", "0:1000"); // the data (20..100) now sits in the bottom tenth of the map
        awaitShot(shot -> maxIndex(shot, ColorMap.VIRIDIS) <= 100 * 256 / 1000 + INDEX_TOLERANCE);
        type("range", "5:1");
        awaitTrue(() -> onEdt(() -> part("range-error", javax.swing.JLabel.class).getText()).contains("MIN < MAX"),
                "a bad range to be explained");
        type("range", "");

        select("field", "phi"); // 0 at the west edge, 1 at the east: colours rise from left to right
        awaitStatus(s -> "phi".equals(s.field()));
        BufferedImage phi = awaitShot(shot -> {
            int row = shot.getHeight() / 2;
            int left = nearest(ColorMap.VIRIDIS, shot.getRGB(shot.getWidth() / 20, row))[0];
            int middle = nearest(ColorMap.VIRIDIS, shot.getRGB(shot.getWidth() / 2, row))[0];
            int right = nearest(ColorMap.VIRIDIS, shot.getRGB(shot.getWidth() * 19 / 20, row))[0];
            return left < 20 && middle > 100 && middle < 160 && right > 235;
        });
        writeForInspection(phi, "window-phi.png");
    }

    // ---- the window's parts --------------------------------------------------------------------

    private static Frame viewerFrame() {
        return Arrays.stream(Frame.getFrames()).filter(f -> f.isDisplayable() && f.getTitle().startsWith("heatgrid view"))
                .findFirst().orElseThrow(() -> new AssertionError("no viewer window on the display"));
    }

    private static <T extends Component> T part(String name, Class<T> type) {
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

    private static void select(String name, Object item) throws Exception {
        SwingUtilities.invokeAndWait(() -> part(name, JComboBox.class).setSelectedItem(item));
    }

    private static void type(String name, String text) throws Exception {
        SwingUtilities.invokeAndWait(() -> {
            JTextField field = part(name, JTextField.class);
            field.setText(text);
            field.postActionEvent(); // as pressing Enter
        });
    }

    private static <T> T onEdt(java.util.function.Supplier<T> action) {
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
    private static BufferedImage plotShot() throws Exception {
        Rectangle area = onEdt(() -> {
            HeatmapPanel panel = part("heatmap", HeatmapPanel.class);
            Rectangle2D data = panel.dataArea();
            Point origin = panel.getLocationOnScreen();
            return new Rectangle((int) Math.round(origin.x + data.getX()), (int) Math.round(origin.y + data.getY()),
                    (int) Math.floor(data.getWidth()), (int) Math.floor(data.getHeight()));
        });
        assertTrue(area.width > NX && area.height > NY, "the plot is drawn at least one pixel per cell: " + area);
        return new Robot().createScreenCapture(area);
    }

    private static BufferedImage awaitShot(Predicate<BufferedImage> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        BufferedImage shot;
        do {
            shot = plotShot();
            if (condition.test(shot)) {
                return shot;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        writeForInspection(shot, "window-timeout.png");
        throw new AssertionError("the screen never showed what was expected (last screenshot in target/)");
    }

    private ViewerStatus awaitStatus(Predicate<ViewerStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
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

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static java.util.List<Long> attachedPids(Path segment) throws Exception {
        return AttachedProcesses.of(segment).stream().map(AttachedProcesses.Attached::pid).toList();
    }

    // ---- colours -------------------------------------------------------------------------------

    /** The map entry closest to {@code rgb} and its squared distance in RGB. */
    private static int[] nearest(ColorMap map, int rgb) {
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

    /** Share of sampled pixels that are (within rounding) colours of {@code map}. */
    private static double fitRatio(BufferedImage shot, ColorMap map) {
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

    private static int maxIndex(BufferedImage shot, ColorMap map) {
        int max = 0;
        for (int y = 2; y < shot.getHeight() - 2; y += 5) {
            for (int x = 2; x < shot.getWidth() - 2; x += 5) {
                max = Math.max(max, nearest(map, shot.getRGB(x, y))[0]);
            }
        }
        return max;
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        return differingPixels(a, b) == 0;
    }

    private static long differingPixels(BufferedImage a, BufferedImage b) {
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

    private static void writeForInspection(BufferedImage image, String name) throws java.io.IOException {
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            ImageIO.write(image, "png", target.resolve(name).toFile());
        }
    }
}
