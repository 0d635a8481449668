package dev.heatgrid.viewer;

import static dev.heatgrid.viewer.WindowScreen.awaitShot;
import static dev.heatgrid.viewer.WindowScreen.differingPixels;
import static dev.heatgrid.viewer.WindowScreen.fitRatio;
import static dev.heatgrid.viewer.WindowScreen.maxIndex;
import static dev.heatgrid.viewer.WindowScreen.nearest;
import static dev.heatgrid.viewer.WindowScreen.onEdt;
import static dev.heatgrid.viewer.WindowScreen.part;
import static dev.heatgrid.viewer.WindowScreen.plotShot;
import static dev.heatgrid.viewer.WindowScreen.samePixels;
import static dev.heatgrid.viewer.WindowScreen.select;
import static dev.heatgrid.viewer.WindowScreen.type;
import static dev.heatgrid.viewer.WindowScreen.worstCellDifference;
import static dev.heatgrid.viewer.WindowScreen.writeForInspection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.AttachedProcesses;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.awt.Frame;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Predicate;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
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
@Tag("window")
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
        BufferedImage before = plotShot(NX, NY);
        for (int i = 0; i < 3; i++) {
            long previous = generation;
            generation = awaitStatus(s -> s.generation() > previous + 2).generation();
            BufferedImage after = awaitShot(NX, NY, PATIENCE, shot -> !samePixels(shot, before));
            assertNotEquals(0, differingPixels(before, after), "the hot spot moved on screen");
        }
        assertTrue(attachedPids(segment).contains(ProcessHandle.current().pid()));

        ViewerWindow open = window;
        window = null;
        open.close();
        assertTrue(open.awaitClosed(PATIENCE), "the window closed");
        awaitTrue(() -> !WindowScreen.viewerThreadsAlive(), "viewer threads to end");
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
        BufferedImage screen = plotShot(NX, NY);

        Path png = dir.resolve("same.png");
        Snapshot.Result result = Snapshot.write(segment, options, png, ImageSize.DEFAULT, Duration.ZERO);
        assertEquals(25, result.generation());
        int worst = worstCellDifference(screen, ImageIO.read(png.toFile()), result.dataArea(), NX, NY,
                ColorMap.INFERNO);
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
        awaitShot(NX, NY, PATIENCE, shot -> fitRatio(shot, ColorMap.INFERNO) > 0.99);

        select("colormap", ColorMap.VIRIDIS);
        awaitShot(NX, NY, PATIENCE,
                shot -> fitRatio(shot, ColorMap.VIRIDIS) > 0.99 && fitRatio(shot, ColorMap.INFERNO) < 0.5);

        type("range", "0:1000"); // the data (20..100) now sits in the bottom tenth of the map
        awaitShot(NX, NY, PATIENCE, shot -> maxIndex(shot, ColorMap.VIRIDIS) <= 100 * 256 / 1000 + INDEX_TOLERANCE);
        type("range", "5:1");
        awaitTrue(() -> onEdt(() -> part("range-error", javax.swing.JLabel.class).getText()).contains("MIN < MAX"),
                "a bad range to be explained");
        type("range", "");

        select("field", "phi"); // 0 at the west edge, 1 at the east: colours rise from left to right
        awaitStatus(s -> "phi".equals(s.field()));
        BufferedImage phi = awaitShot(NX, NY, PATIENCE, shot -> {
            int row = shot.getHeight() / 2;
            int left = nearest(ColorMap.VIRIDIS, shot.getRGB(shot.getWidth() / 20, row))[0];
            int middle = nearest(ColorMap.VIRIDIS, shot.getRGB(shot.getWidth() / 2, row))[0];
            int right = nearest(ColorMap.VIRIDIS, shot.getRGB(shot.getWidth() * 19 / 20, row))[0];
            return left < 20 && middle > 100 && middle < 160 && right > 235;
        });
        writeForInspection(phi, "window-phi.png");
    }

    private ViewerStatus awaitStatus(Predicate<ViewerStatus> condition) throws InterruptedException {
        return WindowScreen.awaitStatus(window, PATIENCE, condition);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        WindowScreen.awaitTrue(condition, PATIENCE, what);
    }

    private static java.util.List<Long> attachedPids(Path segment) throws Exception {
        return AttachedProcesses.of(segment).stream().map(AttachedProcesses.Attached::pid).toList();
    }
}
