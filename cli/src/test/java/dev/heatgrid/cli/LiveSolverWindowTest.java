package dev.heatgrid.cli;

import static dev.heatgrid.viewer.WindowScreen.awaitShot;
import static dev.heatgrid.viewer.WindowScreen.awaitStatus;
import static dev.heatgrid.viewer.WindowScreen.awaitTrue;
import static dev.heatgrid.viewer.WindowScreen.differingPixels;
import static dev.heatgrid.viewer.WindowScreen.plotShot;
import static dev.heatgrid.viewer.WindowScreen.samePixels;
import static dev.heatgrid.viewer.WindowScreen.viewerThreadsAlive;
import static dev.heatgrid.viewer.WindowScreen.worstCellDifference;
import static dev.heatgrid.viewer.WindowScreen.writeForInspection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.AttachedProcesses;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.viewer.ColorMap;
import dev.heatgrid.viewer.ImageSize;
import dev.heatgrid.viewer.Snapshot;
import dev.heatgrid.viewer.SolverState;
import dev.heatgrid.viewer.ValueRange;
import dev.heatgrid.viewer.ViewerOptions;
import dev.heatgrid.viewer.ViewerWindow;
import dev.heatgrid.viewer.XvfbDisplay;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The card's live viewer on the card's solver: the window on a (virtual) display, attached to a real
 * {@code heatgrid run} in another JVM (the viewer module's own window tests use a stand-in writer,
 * since the viewer never depends on the solver). It paints newer generations as the solver
 * publishes them; with the solver stopped (SIGSTOP) the screen shows, cell for cell, what the
 * headless PNG of that generation shows; and closing it leaves the solver running and nothing of
 * the window behind.
 */
@Tag("window")
@ExtendWith(XvfbDisplay.class)
class LiveSolverWindowTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int NX = 192;
    private static final int NY = 128;
    /** Colour-map entries two colours of the same value may differ by (scaling, rounding); of 256. */
    private static final int INDEX_TOLERANCE = 2;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void theWindowFollowsARunningSolverAndShowsWhatItPublished() throws Exception {
        Path segment = dir.resolve("live.hgrid");
        // A small dt keeps the hot spot spreading visibly for the whole test (the default would reach
        // the slowest mode, whose picture no longer changes under an automatic range, within a second).
        try (JvmProcess solver = JvmProcess.start(List.of("--add-modules", "jdk.incubator.vector"), Heatgrid.class,
                "run", segment.toString(), "--size", NX + "x" + NY, "--init", "hotspot:100", "--dt", "1e-3",
                "--threads", "1", "--quiet")) {
            ViewerOptions options = ViewerOptions.defaults().withRange(new ValueRange(0, 100));
            ViewerWindow window = ViewerWindow.open(segment, options);
            try {
                long generation = awaitStatus(window, PATIENCE, s -> s.generation() > 0 && s.solver() == SolverState.RUNNING)
                        .generation();
                BufferedImage first = plotShot(NX, NY);
                for (int i = 0; i < 3; i++) {
                    long previous = generation;
                    generation = awaitStatus(window, PATIENCE, s -> s.generation() > previous + 100).generation();
                }
                BufferedImage later = awaitShot(NX, NY, PATIENCE, shot -> !samePixels(shot, first));
                assertNotEquals(0, differingPixels(first, later), "the heat spread on screen");

                solver.signal("STOP"); // a still frame to compare: the newest published one stays the newest
                long still;
                try (FrameReader reader = FrameReader.open(segment)) {
                    long seen;
                    do {
                        seen = reader.generation();
                        Thread.sleep(200);
                    } while (reader.generation() != seen);
                    still = seen;
                }
                awaitStatus(window, PATIENCE, s -> s.generation() == still);
                BufferedImage screen = awaitShot(NX, NY, PATIENCE, shot -> true);
                Path png = dir.resolve("still.png");
                Snapshot.Result result = Snapshot.write(segment, options, png, ImageSize.DEFAULT, Duration.ZERO);
                assertEquals(still, result.generation());
                int worst = worstCellDifference(screen, ImageIO.read(png.toFile()), result.dataArea(), NX, NY,
                        ColorMap.INFERNO);
                writeForInspection(screen, "window-on-solver.png");
                assertTrue(worst <= INDEX_TOLERANCE, "screen and PNG differ by " + worst + " colour-map entries");
                solver.signal("CONT");
            } finally {
                window.close();
                assertTrue(window.awaitClosed(PATIENCE), "the window closed");
            }
            awaitTrue(() -> !viewerThreadsAlive(), PATIENCE, "viewer threads to end");
            assertFalse(AttachedProcesses.of(segment).stream().anyMatch(a -> a.pid() == ProcessHandle.current().pid()),
                    "our attachment is gone");
            assertTrue(solver.isAlive(), "the solver never noticed");
        }
    }
}
