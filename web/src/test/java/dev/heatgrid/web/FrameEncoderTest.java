package dev.heatgrid.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.viewer.BlockGrid;
import dev.heatgrid.viewer.Reduction;
import dev.heatgrid.viewer.ValueRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Block values survive the trip through a frame message to within 1/65534 of their span; NaN stays NaN. */
class FrameEncoderTest {
    private final FrameEncoder encoder = new FrameEncoder(new ObjectMapper());

    /** As the feed encodes: codes over a range that holds the finite values (the automatic range does). */
    private DecodedFrame roundTrip(double[] values, int width, int height) {
        double[] bounds = ValueRange.finiteBounds(values, values.length);
        return roundTrip(values, width, height, Double.isNaN(bounds[0]) ? new ValueRange(0, 1)
                : ValueRange.covering(bounds[0], bounds[1]));
    }

    private DecodedFrame roundTrip(double[] values, int width, int height, ValueRange range) {
        var header = new FrameHeader(7, 70, 0.7, System.nanoTime(), List.of(new FieldStats(-1, 1, 0, 0, 0)), "");
        var frame = encoder.encode(header, List.of("T"), 0, new BlockGrid(width, height, 1, 1), Reduction.MEAN, values,
                range, System.nanoTime());
        var bytes = frame.bytes();
        byte[] message = new byte[bytes.remaining()];
        bytes.get(message);
        return DecodedFrame.of(message);
    }

    @Test
    void valuesComeBackWithinTheQuantizationStepInGridOrder() {
        int w = 37;
        int h = 23; // odd sizes: no row length is a power of two
        double[] values = new double[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                values[y * w + x] = Math.sin(x * 0.3) * Math.cos(y * 0.2) * 1e-3 + 5; // small span, large offset
            }
        }
        DecodedFrame decoded = roundTrip(values, w, h);
        assertEquals(7, decoded.generation());
        assertEquals(w, decoded.width());
        assertEquals(h, decoded.height());
        double step = decoded.resolution();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                assertEquals(values[y * w + x], decoded.value(x, y), step * 0.51, "block " + x + "," + y);
            }
        }
        assertEquals("mean", decoded.meta().get("reduction").asText());
    }

    @Test
    void nanStaysNanAndInfinitiesTakeTheEnds() {
        double[] values = {1, Double.NaN, 3, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2};
        DecodedFrame decoded = roundTrip(values, 3, 2);
        assertEquals(1, decoded.value(0, 0), 1e-9);
        assertTrue(Double.isNaN(decoded.value(1, 0)));
        assertEquals(3, decoded.value(2, 0), 1e-9);
        assertEquals(3, decoded.value(0, 1), 1e-9, "+inf is drawn as the largest finite value");
        assertEquals(1, decoded.value(1, 1), 1e-9, "-inf as the smallest");
        assertEquals(2, decoded.value(2, 1), 1e-4);
    }

    @Test
    void theCodesSpanTheColourRangeAndValuesBeyondItTakeItsEnds() {
        double[] values = {0.25, 0.5, 0.75, 0.5, 1.5, -2};
        DecodedFrame decoded = roundTrip(values, 3, 2, new ValueRange(0, 1));
        assertEquals(0.0, decoded.meta().get("lo").asDouble());
        assertEquals(1.0, decoded.meta().get("hi").asDouble());
        assertEquals("[0.0,1.0]", decoded.meta().get("range").toString());
        for (int i = 0; i < 4; i++) {
            assertEquals(values[i], decoded.value(i % 3, i / 3), decoded.resolution() * 0.51);
        }
        assertEquals(1.0, decoded.value(1, 1), "above the range: its top");
        assertEquals(0.0, decoded.value(2, 1), "below the range: its bottom");
    }

    @Test
    void aConstantFieldAndAnAllNanFieldDecode() {
        DecodedFrame constant = roundTrip(new double[] {4.25, 4.25, 4.25, 4.25}, 2, 2);
        for (double v : constant.values()) {
            assertEquals(4.25, v);
        }
        DecodedFrame missing = roundTrip(new double[] {Double.NaN, Double.NaN}, 2, 1);
        assertTrue(Double.isNaN(missing.value(0, 0)) && Double.isNaN(missing.value(1, 0)));
    }

    @Test
    void smoothFieldsCompressWell() {
        int n = 512;
        double[] values = new double[n * n];
        for (int i = 0; i < values.length; i++) {
            values[i] = Math.exp(-((i % n - 256.0) * (i % n - 256.0) + (i / n - 256.0) * (i / n - 256.0)) / 8000);
        }
        var header = new FrameHeader(1, 1, 0, System.nanoTime(), List.of(new FieldStats(0, 1, 0, 0, 0)), "");
        var frame = encoder.encode(header, List.of("T"), 0, new BlockGrid(n, n, 1, 1), Reduction.MEAN, values,
                new ValueRange(0, 1), System.nanoTime());
        int raw = n * n * 2;
        assertTrue(frame.message().remaining() < raw / 4, "a smooth 512² field: " + frame.message().remaining()
                + " bytes of " + raw);
    }
}
