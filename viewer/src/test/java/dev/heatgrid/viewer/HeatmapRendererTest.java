package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapRendererTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void aFixedRangeIsKeptAndTheDivergingMapCentresDataOfBothSignsOnZero() throws Exception {
        Path segment = dir.resolve("signs.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(20, 10, "T"));
             FrameReader reader = FrameReader.open(segment)) {
            MemorySegment field = writer.beginFrame().fields().get(0);
            for (int i = 0; i < 200; i++) {
                field.setAtIndex(ValueLayout.JAVA_DOUBLE, i, -1 + i * 4.0 / 199); // -1 .. 3
            }
            writer.publish(0, 0, "");

            RenderedFrame inferno = new HeatmapRenderer(ColorMap.INFERNO, null, Reduction.MEAN)
                    .renderNewest(reader, 0, 100, 100);
            assertEquals(new ValueRange(-1, 3), inferno.range());
            assertFalse(inferno.rangeFixed());

            RenderedFrame coolwarm = new HeatmapRenderer(ColorMap.COOLWARM, null, Reduction.MEAN)
                    .renderNewest(reader, 0, 100, 100);
            assertEquals(new ValueRange(-3, 3), coolwarm.range(), "zero in the neutral middle");

            RenderedFrame fixed = new HeatmapRenderer(ColorMap.VIRIDIS, new ValueRange(0, 1), Reduction.MEAN)
                    .renderNewest(reader, 0, 100, 100);
            assertEquals(new ValueRange(0, 1), fixed.range());
            assertTrue(fixed.rangeFixed());
            assertEquals(ColorMap.VIRIDIS.bottomArgb(), fixed.image().getRGB(0, 9), "below the range: bottom colour");
            assertEquals(ColorMap.VIRIDIS.topArgb(), fixed.image().getRGB(19, 0), "above the range: top colour");
        }
    }

    @Test
    void nothingPublishedYetIsNoFrameAndNoError() throws Exception {
        Path segment = dir.resolve("empty.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(8, 8, "T"));
             FrameReader reader = FrameReader.open(segment)) {
            assertEquals(null, new HeatmapRenderer(ViewerOptions.defaults()).renderNewest(reader, 0, 100, 100));
            assertEquals(0, writer.generation());
        }
    }
}
