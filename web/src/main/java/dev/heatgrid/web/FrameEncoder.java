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
import java.util.zip.Deflater;

/**
 * Turns one field's block values into the binary WebSocket message every browser decodes and
 * colours itself, so one encoding serves any colour map and range a browser picks:
 *
 * <pre>
 * bytes 0..3     "HGF1"
 * bytes 4..7     n, little-endian: length of the metadata
 * bytes 8..8+n   UTF-8 JSON: type "frame", field, fieldIndex, generation, step, time, width, height,
 *                blockX, blockY, reduction, lo, hi, range [min, max], ageMillis, stats (per field:
 *                min, mean, max, total)
 * the rest       a zlib stream of width × height 16-bit codes, image rows from the top (highest y)
 *                down. Each code is sent as its difference from a prediction, left + up - up-left (0
 *                outside the image), mod 2^16, and the differences as two planes: all low bytes, then
 *                all high bytes. On a smooth field the differences are tiny, so the planes compress
 *                several times better than the codes. 65535 is NaN; q in 0..65534 stands for
 *                lo + q / 65534 × (hi - lo)
 * </pre>
 *
 * 16 bits resolve the field to 1/65534 of its span, far finer than the 256 colours of a map, so a
 * browser may also pick its own fixed range and show values under the cursor. Not thread-safe: the
 * feed's thread owns it.
 */
final class FrameEncoder {
    static final byte[] MAGIC = "HGF1".getBytes(StandardCharsets.US_ASCII);
    static final int NAN_CODE = 65_535;
    static final int TOP_CODE = 65_534;

    private final ObjectMapper json;
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private int[] codes = new int[0];
    private byte[] raw = new byte[0];
    private byte[] packed = new byte[0];

    FrameEncoder(ObjectMapper json) {
        this.json = json;
    }

    /**
     * Encodes the first {@code grid.width() × grid.height()} of {@code values} (grid rows from y = 0
     * up, as {@link dev.heatgrid.viewer.FrameSampler} fills them).
     *
     * @param range the automatic colour range the page uses unless its user fixed one
     */
    EncodedFrame encode(FrameHeader header, List<String> fields, int f, BlockGrid grid, Reduction reduction,
                        double[] values, ValueRange range, long nowNanos) {
        int width = grid.width();
        int height = grid.height();
        int count = width * height;
        double[] bounds = ValueRange.finiteBounds(values, count);
        double lo = Double.isNaN(bounds[0]) ? 0 : bounds[0]; // no finite value at all: every code is NaN or an end
        double hi = Double.isNaN(bounds[1]) ? 0 : bounds[1];
        quantize(values, width, height, lo, hi);
        int compressed = deflate(count * 2);

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

        ByteBuffer message = ByteBuffer.allocate(8 + metaBytes.length + compressed).order(ByteOrder.LITTLE_ENDIAN);
        message.put(MAGIC).putInt(metaBytes.length).put(metaBytes).put(packed, 0, compressed).flip();
        return new EncodedFrame(fields.get(f), header.generation(), message.asReadOnlyBuffer());
    }

    /** Values to codes, image rows top down, then predicted, into the two byte planes of {@link #raw}. */
    private void quantize(double[] values, int width, int height, double lo, double hi) {
        int count = width * height;
        if (codes.length < count) {
            codes = new int[count];
            raw = new byte[count * 2];
        }
        double scale = hi > lo ? TOP_CODE / (hi - lo) : 0;
        for (int row = 0, out = 0; row < height; row++) {
            for (int x = 0, in = (height - 1 - row) * width; x < width; x++, in++, out++) {
                double v = values[in];
                double position = (v - lo) * scale + 0.5;
                codes[out] = v != v ? NAN_CODE : position <= 0 ? 0 : position >= TOP_CODE ? TOP_CODE : (int) position;
            }
        }
        for (int row = 0, i = 0; row < height; row++) {
            for (int x = 0; x < width; x++, i++) {
                int left = x > 0 ? codes[i - 1] : 0;
                int up = row > 0 ? codes[i - width] : 0;
                int upLeft = x > 0 && row > 0 ? codes[i - width - 1] : 0;
                int residual = (codes[i] - (left + up - upLeft)) & 0xFFFF;
                raw[i] = (byte) residual;
                raw[count + i] = (byte) (residual >>> 8);
            }
        }
    }

    /** Compresses the first {@code length} bytes of {@link #raw} into {@link #packed}; returns the size. */
    private int deflate(int length) {
        deflater.reset();
        deflater.setInput(raw, 0, length);
        deflater.finish();
        int size = 0;
        if (packed.length < length / 2 + 64) {
            packed = new byte[length / 2 + 64];
        }
        while (!deflater.finished()) {
            if (size == packed.length) {
                packed = java.util.Arrays.copyOf(packed, packed.length * 2);
            }
            size += deflater.deflate(packed, size, packed.length - size);
        }
        return size;
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
