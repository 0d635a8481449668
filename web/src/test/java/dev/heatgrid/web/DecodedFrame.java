package dev.heatgrid.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A frame message decoded as the page decodes it (FrameEncoder describes the bytes): the metadata
 * and the block values, in grid order (row 0 = lowest y), NaN where the code says so.
 */
record DecodedFrame(JsonNode meta, double[] values) {
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
        byte[] raw = new byte[width * height * 2];
        var inflater = new Inflater();
        inflater.setInput(message, 8 + metaLength, message.length - 8 - metaLength);
        try {
            int n = inflater.inflate(raw);
            if (n != raw.length || !inflater.finished()) {
                throw new AssertionError("inflated " + n + " bytes, expected " + raw.length);
            }
        } catch (DataFormatException e) {
            throw new AssertionError(e);
        } finally {
            inflater.end();
        }
        double lo = meta.get("lo").asDouble();
        double hi = meta.get("hi").asDouble();
        double step = hi > lo ? (hi - lo) / FrameEncoder.TOP_CODE : 0;
        int count = width * height;
        int[] codes = new int[count];
        for (int row = 0, i = 0; row < height; row++) {
            for (int x = 0; x < width; x++, i++) {
                int left = x > 0 ? codes[i - 1] : 0;
                int up = row > 0 ? codes[i - width] : 0;
                int upLeft = x > 0 && row > 0 ? codes[i - width - 1] : 0;
                int residual = (raw[i] & 0xFF) | (raw[count + i] & 0xFF) << 8;
                codes[i] = (residual + left + up - upLeft) & 0xFFFF;
            }
        }
        double[] values = new double[count];
        for (int row = 0; row < height; row++) {
            int gridRow = height - 1 - row; // the message runs from the top row down
            for (int x = 0; x < width; x++) {
                int code = codes[row * width + x];
                values[gridRow * width + x] = code == FrameEncoder.NAN_CODE ? Double.NaN : lo + code * step;
            }
        }
        return new DecodedFrame(meta, values);
    }
}
