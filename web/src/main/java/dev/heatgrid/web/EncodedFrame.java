package dev.heatgrid.web;

import java.nio.ByteBuffer;

/**
 * One field of one generation, encoded once and sent as it is to every browser showing that field.
 *
 * @param field      the field's name
 * @param generation the frame's generation
 * @param message    the WebSocket message ({@link FrameEncoder} describes its bytes); read-only, share
 *                   it with {@link ByteBuffer#slice()} so every send has its own position
 */
record EncodedFrame(String field, long generation, ByteBuffer message) {
    ByteBuffer bytes() {
        return message.slice();
    }
}
