package dev.heatgrid.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A frame message decoded as the page decodes it (FrameEncoder describes the bytes): the metadata,
 * the codes as sent (image rows from the top) and the block values, in grid order (row 0 = lowest y),
 * NaN where the code says so.
 */
record DecodedFrame(JsonNode meta, int[] codes, double[] values) {
    private static final ObjectMapper JSON = new ObjectMapper();

    long generation() {
        return meta.get("generation").asLong();
    }

    int width() {
        return meta.get("width").asInt();
    }

    int height() {
        return meta.get("height").asInt();
    }

    /** Block (x, y), y counted upwards like the grid. */
    double value(int x, int y) {
        return values[y * width() + x];
    }

    /** Largest error the 16-bit quantization may add to a value. */
    double resolution() {
        return (meta.get("hi").asDouble() - meta.get("lo").asDouble()) / FrameEncoder.TOP_CODE;
    }

    static DecodedFrame of(byte[] message) {
        ByteBuffer in = ByteBuffer.wrap(message).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[4];
        in.get(magic);
        if (!Arrays.equals(magic, FrameEncoder.MAGIC)) {
            throw new AssertionError("not a frame message: " + new String(magic, StandardCharsets.US_ASCII));
        }
        int metaLength = in.getInt();
        JsonNode meta;
        try {
            meta = JSON.readTree(new String(message, 8, metaLength, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        int width = meta.get("width").asInt();
        int height = meta.get("height").asInt();
        int count = width * height;
        int[] codes = CodeRows.decode(message, 8 + metaLength, width, height);
        double lo = meta.get("lo").asDouble();
        double hi = meta.get("hi").asDouble();
        double step = hi > lo ? (hi - lo) / FrameEncoder.TOP_CODE : 0;
        double[] values = new double[count];
        for (int row = 0; row < height; row++) {
            int gridRow = height - 1 - row; // the message runs from the top row down
            for (int x = 0; x < width; x++) {
                int code = codes[row * width + x];
                values[gridRow * width + x] = code == FrameEncoder.NAN_CODE ? Double.NaN : lo + code * step;
            }
        }
        return new DecodedFrame(meta, codes, values);
    }
}
