package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Text in a fixed-capacity slot: UTF-8 bytes, then NUL bytes up to the capacity. At least one NUL
 * always follows the text, so a C reader can use the slot as a string.
 */
final class FixedText {
    private FixedText() {
    }

    /** UTF-8 bytes of {@code text}, or an exception naming {@code what} if it does not fit. */
    static byte[] encode(String text, int capacity, String what) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > capacity - 1) {
            throw new IllegalArgumentException(what + " is " + bytes.length + " bytes of UTF-8; at most "
                    + (capacity - 1) + " fit");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what + " contains a NUL character");
        }
        return bytes;
    }

    static void write(MemorySegment segment, long offset, int capacity, String text, String what) {
        byte[] bytes = encode(text, capacity, what);
        MemorySegment slot = segment.asSlice(offset, capacity);
        slot.fill((byte) 0);
        MemorySegment.copy(bytes, 0, slot, ValueLayout.JAVA_BYTE, 0, bytes.length);
    }

    /** Decodes a slot, rejecting a missing terminator, non-zero padding or malformed UTF-8. */
    static String read(MemorySegment segment, long offset, int capacity, Path file, String field)
            throws SegmentFormatException {
        int length = -1;
        for (int i = 0; i < capacity; i++) {
            byte b = segment.get(ValueLayout.JAVA_BYTE, offset + i);
            if (length < 0) {
                if (b == 0) {
                    length = i;
                }
            } else if (b != 0) {
                throw new SegmentFormatException(file, field, "non-zero byte after the terminating NUL at byte " + i);
            }
        }
        if (length < 0) {
            throw new SegmentFormatException(file, field, "no terminating NUL within its " + capacity + " bytes");
        }
        return decode(segment, offset, length, file, field);
    }

    /** Decodes {@code length} bytes of UTF-8 (no terminator needed). */
    static String decode(MemorySegment segment, long offset, int length, Path file, String field)
            throws SegmentFormatException {
        byte[] bytes = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SegmentFormatException(file, field, "is not valid UTF-8");
        }
    }
}
