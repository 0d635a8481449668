package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameChecksum;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.Tile;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.awt.GraphicsEnvironment;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Headless PNGs of known frames, checked pixel by pixel where the cells must be. */
class SnapshotTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void withoutADisplayThereIsNoWindowButAClearWordOnWhatToDoInstead() {
        assertTrue(GraphicsEnvironment.isHeadless(), "surefire sets java.awt.headless=true: CI has no display");
        assertTrue(!ViewerWindow.displayAvailable());
        var e = assertThrows(IllegalStateException.class,
                () -> ViewerWindow.open(dir.resolve("any.hgrid"), ViewerOptions.defaults()));
        assertEquals("no display to open a viewer window on (DISPLAY is not set, or java.awt.headless=true); write"
                + " PNGs instead (Snapshot, TimeLapse)", e.getMessage());
    }

    @Test
    void hottestCellTakesTheTopColourColdCornerTheBottomAndTheColourBarIsThere() throws Exception {
        int nx = 64;
        int ny = 48;
        // Non-square cells and a tile offset: the axes must be in physical units, not cell indices.
        SegmentSpec spec = SegmentSpec.of(nx, ny, "T").withSpacing(0.5, 0.25, 1e-3)
                .withTile(new Tile(10, 20, 200, 200));
        Path segment = dir.resolve("known.hgrid");
        Path png = dir.resolve("known.png");
        try (SegmentWriter writer = SegmentWriter.create(segment, spec)) {
            HotSpot.fill(writer.beginFrame().fields().get(0), nx, ny, 45, 30, 5);
            writer.publish(1200, 1.2, "");

            for (ColorMap map : ColorMap.values()) {
                Snapshot.Result result = Snapshot.write(segment, ViewerOptions.defaults().withColorMap(map), png,
                        new ImageSize(900, 700), Duration.ZERO);
                assertEquals(1, result.generation());
                assertEquals(1200, result.step());
                assertEquals(SolverState.RUNNING, result.solver());
                BufferedImage image = ImageIO.read(png.toFile());
                assertEquals(900, image.getWidth());
                assertEquals(700, image.getHeight());
                var extent = GridExtent.of(spec);
                assertEquals(map.topArgb(), pixelAt(image, result.dataArea(), extent, 45, 30), map + ": hottest cell");
                assertEquals(map.bottomArgb(), pixelAt(image, result.dataArea(), extent, 0, 0), map + ": cold corner");
                assertEquals(map.bottomArgb(), pixelAt(image, result.dataArea(), extent, nx - 1, ny - 1),
                        map + ": opposite corner");
                assertColourBar(image, result.dataArea(), map);
            }
        }
    }

    @Test
    void theImageFillsThePhysicalExtentWithEqualUnitsOnBothAxes() throws Exception {
        SegmentSpec spec = SegmentSpec.of(80, 20, "T").withSpacing(0.1, 0.1, 0);
        Path segment = dir.resolve("wide.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, spec)) {
            HotSpot.fill(writer.beginFrame().fields().get(0), 80, 20, 40, 10, 3);
            writer.publish(0, 0, "");
            var result = Snapshot.write(segment, ViewerOptions.defaults(), dir.resolve("wide.png"), ImageSize.DEFAULT,
                    Duration.ZERO);
            Rectangle2D area = result.dataArea();
            assertEquals(4.0, area.getWidth() / area.getHeight(), 0.05, "an 8 x 2 domain is drawn 4:1");
        }
    }

    @Test
    void maxDownsamplingKeepsAOneCellSpotThatMeanDilutes() throws Exception {
        int nx = 1500;
        int ny = 1000;
        Path segment = dir.resolve("big.hgrid");
        Path png = dir.resolve("big.png");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(nx, ny, "T"))) {
            MemorySegment field = writer.beginFrame().fields().get(0);
            field.fill((byte) 0);
            field.setAtIndex(ValueLayout.JAVA_DOUBLE, 777L * nx + 1234, 1.0);
            writer.publish(0, 0, "");
            var extent = GridExtent.of(writer.layout().spec());
            var size = new ImageSize(800, 600);

            // About 1.2 screen pixels per block: look around the spot, not at one pixel.
            var max = Snapshot.write(segment, ViewerOptions.defaults().withReduction(Reduction.MAX), png, size,
                    Duration.ZERO);
            assertTrue(near(ImageIO.read(png.toFile()), max.dataArea(), extent, 1234, 777, ColorMap.INFERNO.topArgb()),
                    "block max keeps the one hot cell at full colour");

            var mean = Snapshot.write(segment, ViewerOptions.defaults().withRange(new ValueRange(0, 1)), png, size,
                    Duration.ZERO);
            assertTrue(!near(ImageIO.read(png.toFile()), mean.dataArea(), extent, 1234, 777, ColorMap.INFERNO.topArgb()),
                    "block mean dilutes it");
        }
    }

    @Test
    void nanCellsShowInTheirOwnColourAndDoNotSpoilTheRange() throws Exception {
        Path segment = dir.resolve("nan.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(32, 32, "T"))) {
            MemorySegment field = writer.beginFrame().fields().get(0);
            HotSpot.fill(field, 32, 32, 8, 8, 3);
            field.setAtIndex(ValueLayout.JAVA_DOUBLE, 20L * 32 + 20, Double.NaN);
            writer.publish(0, 0, "");
            var result = Snapshot.write(segment, ViewerOptions.defaults(), dir.resolve("nan.png"), ImageSize.DEFAULT,
                    Duration.ZERO);
            BufferedImage image = ImageIO.read(dir.resolve("nan.png").toFile());
            var extent = GridExtent.of(writer.layout().spec());
            assertEquals(ColorMap.NAN_ARGB, pixelAt(image, result.dataArea(), extent, 20, 20));
            assertEquals(ColorMap.INFERNO.topArgb(), pixelAt(image, result.dataArea(), extent, 8, 8));
        }
    }

    @Test
    void multiFieldSegmentsShowTheChosenField() throws Exception {
        Path segment = dir.resolve("two.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(40, 40, "T", "C"))) {
            var fields = writer.beginFrame().fields();
            HotSpot.fill(fields.get(0), 40, 40, 5, 5, 3);
            HotSpot.fill(fields.get(1), 40, 40, 30, 30, 3);
            writer.publish(0, 0, "");
            var extent = GridExtent.of(writer.layout().spec());
            Path png = dir.resolve("two.png");
            var c = Snapshot.write(segment, ViewerOptions.defaults().withField("C"), png, ImageSize.DEFAULT, Duration.ZERO);
            assertEquals("C", c.field());
            assertEquals(ColorMap.INFERNO.topArgb(), pixelAt(ImageIO.read(png.toFile()), c.dataArea(), extent, 30, 30));

            var e = assertThrows(IllegalArgumentException.class, () -> Snapshot.write(segment,
                    ViewerOptions.defaults().withField("U"), png, ImageSize.DEFAULT, Duration.ZERO));
            assertEquals("no field 'U' in segment " + segment + "; it has: T, C", e.getMessage());
        }
    }

    @Test
    void aFrameFailingItsChecksumIsNeverDrawn() throws Exception {
        Path segment = dir.resolve("bad.hgrid");
        // Kept, so it outlives its writer: a finished run whose only frame is damaged.
        SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(16, 16, "T").withKeep(true));
        MemorySegment field = writer.beginFrame().fields().get(0);
        HotSpot.fill(field, 16, 16, 8, 8, 3);
        long wrong = FrameChecksum.of(field, 256) + 1;
        writer.publish(0, 0, List.of(new FieldStats(20, 100, 30, 7680, wrong)), "");
        writer.close();
        Path png = dir.resolve("bad.png");
        var e = assertThrows(IOException.class, () -> Snapshot.write(segment, ViewerOptions.defaults(), png,
                ImageSize.DEFAULT, Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        assertTrue(!java.nio.file.Files.exists(png), "nothing written");
    }

    @Test
    void aCorruptFrameOfALiveWriterIsCalledCorruptNotNoFrameYet() throws Exception {
        Path segment = dir.resolve("live-bad.hgrid");
        // The writer still runs (and might publish a good frame), so the picture waits, then names the damage.
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(16, 16, "T"))) {
            MemorySegment field = writer.beginFrame().fields().get(0);
            HotSpot.fill(field, 16, 16, 8, 8, 3);
            long wrong = FrameChecksum.of(field, 256) + 1;
            writer.publish(0, 0, List.of(new FieldStats(20, 100, 30, 7680, wrong)), "");
            Path png = dir.resolve("live-bad.png");
            var e = assertThrows(IOException.class, () -> Snapshot.write(segment, ViewerOptions.defaults(), png,
                    ImageSize.DEFAULT, Duration.ofMillis(300)));
            assertTrue(e instanceof dev.heatgrid.segment.FrameCorruptedException && e.getMessage().contains("checksum"),
                    e.getMessage());
            assertTrue(!java.nio.file.Files.exists(png), "nothing written");
        }
    }

    @Test
    void missingSegmentOrNoFrameYetSaySo() throws Exception {
        Path missing = dir.resolve("missing.hgrid");
        var gone = assertThrows(NoSuchFileException.class, () -> Snapshot.write(missing, ViewerOptions.defaults(),
                dir.resolve("x.png"), ImageSize.DEFAULT, Duration.ofMillis(100)));
        assertTrue(gone.getMessage().contains("no segment at " + missing), gone.getMessage());

        Path empty = dir.resolve("empty.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(empty, SegmentSpec.of(8, 8, "T"))) {
            var none = assertThrows(IOException.class, () -> Snapshot.write(empty, ViewerOptions.defaults(),
                    dir.resolve("x.png"), ImageSize.DEFAULT, Duration.ofMillis(100)));
            assertTrue(none.getMessage().contains("has no frame yet"), none.getMessage());
            assertEquals(0, writer.generation());
        }
    }

    @Test
    void titleNamesFieldGenerationStepAndTime() {
        var header = new dev.heatgrid.segment.FrameHeader(42, 4200, 0.0125, 0, List.of(new FieldStats(0, 1, 0, 0, 0)), "");
        var frame = new RenderedFrame(null, header, "T", 0, ColorMap.INFERNO, new ValueRange(0, 1), false,
                new BlockGrid(4, 4, 1, 1), Reduction.MEAN, new GridExtent(0, 0, 1, 1, 4, 4), 0);
        assertEquals("T  ·  generation 42  ·  step 4200  ·  t = 0.0125", HeatmapChart.titleOf(frame));
    }

    /** The PNG's colour at the centre of cell (x, y), located from the plot's data area and the physical extent. */
    static int pixelAt(BufferedImage image, Rectangle2D area, GridExtent extent, int x, int y) {
        double px = area.getX() + (extent.centreX(x) - extent.x0()) / extent.width() * area.getWidth();
        double py = area.getMaxY() - (extent.centreY(y) - extent.y0()) / extent.height() * area.getHeight();
        return image.getRGB((int) px, (int) py);
    }

    /** Whether {@code argb} appears within two pixels of cell (x, y)'s centre. */
    static boolean near(BufferedImage image, Rectangle2D area, GridExtent extent, int x, int y, int argb) {
        double px = area.getX() + (extent.centreX(x) - extent.x0()) / extent.width() * area.getWidth();
        double py = area.getMaxY() - (extent.centreY(y) - extent.y0()) / extent.height() * area.getHeight();
        for (int dy = -2; dy <= 2; dy++) {
            for (int dx = -2; dx <= 2; dx++) {
                if (image.getRGB((int) px + dx, (int) py + dy) == argb) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A column right of the plot runs through most of the map, its top end above its bottom end.
     * Colours are matched to within 3 per channel: the strip's edges are antialiased.
     */
    static void assertColourBar(BufferedImage image, Rectangle2D area, ColorMap map) {
        for (int x = (int) area.getMaxX() + 10; x < image.getWidth(); x++) {
            var seen = new HashSet<Integer>();
            int topY = -1;
            int bottomY = -1;
            for (int y = 0; y < image.getHeight(); y++) {
                int entry = entryOf(map, image.getRGB(x, y));
                if (entry < 0) {
                    continue;
                }
                seen.add(entry);
                if (entry >= ColorMap.SIZE - 3 && topY < 0) {
                    topY = y;
                }
                if (entry <= 2) {
                    bottomY = y;
                }
            }
            if (seen.size() >= ColorMap.SIZE / 2 && topY >= 0 && bottomY > topY) {
                return;
            }
        }
        throw new AssertionError(map + ": no colour bar right of the plot " + area);
    }

    /** The map entry closest to {@code rgb} if within 3 per channel, else -1. */
    private static int entryOf(ColorMap map, int rgb) {
        int best = -1;
        int bestDistance = 4;
        for (int i = 0; i < ColorMap.SIZE; i++) {
            int e = map.entry(i);
            int d = Math.max(Math.abs((e >> 16 & 0xFF) - (rgb >> 16 & 0xFF)), Math.max(
                    Math.abs((e >> 8 & 0xFF) - (rgb >> 8 & 0xFF)), Math.abs((e & 0xFF) - (rgb & 0xFF))));
            if (d < bestDistance) {
                best = i;
                bestDistance = d;
            }
        }
        return best;
    }

}
