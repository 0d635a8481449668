package dev.heatgrid.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.viewer.BlockGrid;
import dev.heatgrid.viewer.Reduction;
import dev.heatgrid.viewer.ValueRange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Turns one field's block values into the binary WebSocket message every browser decodes and
 * colours itself, so one encoding serves any colour map and range a browser picks:
 *
 * <pre>
 * bytes 0..3     "HGF2"
 * bytes 4..7     n, little-endian: length of the metadata
 * bytes 8..8+n   UTF-8 JSON: type "frame", field, fieldIndex, generation, step, time, width, height,
 *                blockX, blockY, reduction, lo, hi, range [min, max], ageMillis, stats (per field:
 *                min, mean, max, total)
 * the rest       width × height 16-bit codes, image rows from the top (highest y) down, packed as
 *                {@link CodeRows} describes. 65535 is NaN; q in 0..65534 stands for
 *                lo + q / 65534 × (hi - lo), and a value v becomes q = round((v - lo) / (hi - lo) × 65534),
 *                clamped; lo and hi are the automatic range (range), which holds every finite value
 * </pre>
 *
 * 16 bits resolve the automatic range (which the data spans at least half of, but for a second after
 * it shrank) to 1/65534, far finer than the 256 colours of a map, so a browser may also pick its own
 * fixed range (down to 1/256 of the automatic range before two colours share a code) and show values
 * under the cursor. 8-bit codes would send a smooth field in about half
 * the bytes, but a range narrower than the data would then band. Not thread-safe: the feed's thread
 * owns it.
 */
final class FrameEncoder {
    static final byte[] MAGIC = "HGF2".getBytes(StandardCharsets.US_ASCII);
    static final int NAN_CODE = 65_535;
    static final int TOP_CODE = 65_534;

    private final ObjectMapper json;
    private final CodeRows rows = new CodeRows();
    private int[] codes = new int[0];

    FrameEncoder(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Encodes the first {@code grid.width() × grid.height()} of {@code values} (grid rows from y = 0
     * up, as {@link dev.heatgrid.viewer.FrameSampler} fills them).
     *
     * @param range the automatic colour range the page uses unless its user fixed one; it holds every
     *              finite value (values beyond it would take its ends), and the codes span it
     */
    EncodedFrame encode(FrameHeader header, List<String> fields, int f, BlockGrid grid, Reduction reduction,
                        double[] values, ValueRange range, long nowNanos) {
        int width = grid.width();
        int height = grid.height();
        // Codes over the automatic range, not over each frame's own extremes: the range changes only when
        // the data outgrows it or long uses less than half of it, so the page's colour table for a frame
        // is usually the last frame's (rebuilding it was ~0.4 ms of each page's work per frame).
        double lo = range.min();
        double hi = range.max();
        quantize(values, width, height, lo, hi);
        int packed = rows.encode(codes, width, height);

        var meta = new LinkedHashMap<String, Object>();
        meta.put("type", "frame");
        meta.put("field", fields.get(f));
        meta.put("fieldIndex", f);
        meta.put("generation", header.generation());
        meta.put("step", header.step());
        meta.put("time", header.time());
        meta.put("width", width);
        meta.put("height", height);
        meta.put("blockX", grid.blockX());
        meta.put("blockY", grid.blockY());
        meta.put("reduction", reduction.toString());
        meta.put("lo", lo);
        meta.put("hi", hi);
        meta.put("range", List.of(range.min(), range.max()));
        meta.put("ageMillis", (nowNanos - header.publishNanos()) / 1e6);
        meta.put("stats", stats(header, fields));
        byte[] metaBytes = Json.bytes(json, meta);

        ByteBuffer message = ByteBuffer.allocate(8 + metaBytes.length + packed).order(ByteOrder.LITTLE_ENDIAN);
        message.put(MAGIC).putInt(metaBytes.length).put(metaBytes).put(rows.bytes(), 0, packed).flip();
        return new EncodedFrame(fields.get(f), header.generation(), message.asReadOnlyBuffer());
    }

    /** Values to codes, image rows top down, into {@link #codes}. */
    private void quantize(double[] values, int width, int height, double lo, double hi) {
        int count = width * height;
        if (codes.length < count) {
            codes = new int[count];
        }
        double scale = hi > lo ? TOP_CODE / (hi - lo) : 0;
        double offset = 0.5 - lo * scale; // (v - lo) * scale + 0.5, rounded down by the cast
        // Two plain loops, which the JIT vectorizes (one loop choosing NaN's code per value ran 5x slower):
        // max/min clamp the infinities to the ends and let NaN through, which the cast makes 0, ...
        for (int row = 0; row < height; row++) {
            int in = (height - 1 - row) * width;
            int out = row * width;
            for (int x = 0; x < width; x++) {
                codes[out + x] = (int) Math.min(Math.max(values[in + x] * scale + offset, 0), TOP_CODE);
            }
        }
        // ... so NaN gets its code here.
        for (int row = 0; row < height; row++) {
            int in = (height - 1 - row) * width;
            int out = row * width;
            for (int x = 0; x < width; x++) {
                double v = values[in + x];
                if (v != v) {
                    codes[out + x] = NAN_CODE;
                }
            }
        }
    }

    private static List<Object> stats(FrameHeader header, List<String> fields) {
        var list = new ArrayList<Object>(fields.size());
        for (int i = 0; i < fields.size(); i++) {
            FieldStats s = header.stats().get(i);
            list.add(Json.stats(fields.get(i), s));
        }
        return list;
    }
}
