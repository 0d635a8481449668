package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * One malformed file per validation rule: opening it must raise a SegmentFormatException naming
 * the file and the field, never another exception.
 */
class MalformedSegmentTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private byte[] valid;

    @BeforeEach
    void createValidSegment() throws IOException {
        Path good = dir.resolve("good.hgrid");
        SegmentSpec spec = SegmentSpec.of(32, 16, "T", "u").withBuffers(3)
                .withKernel("ftcs", "dirichlet:0", java.util.Map.of("alpha", "1.0")).withKeep(true);
        try (SegmentWriter writer = SegmentWriter.create(good, spec)) {
            writer.beginFrame();
            writer.publish(0, 0, "");
        }
        valid = Files.readAllBytes(good);
        try (FrameReader reader = FrameReader.open(good)) {
            assertEquals(32, reader.layout().nx()); // the unmutated file opens
        }
    }

    static Stream<Arguments> mutations() {
        return Stream.of(
                rule("magic", h -> h.putLong(MAGIC_OFFSET, 0x1234)),
                rule("major version", h -> h.putShort(MAJOR_VERSION_OFFSET, (short) 2)),
                rule("header size", h -> h.putInt(HEADER_SIZE_OFFSET, 1000)),
                rule("header size", h -> h.putInt(HEADER_SIZE_OFFSET, Integer.MAX_VALUE)),
                rule("file size", h -> h.putLong(FILE_SIZE_OFFSET, h.getLong(FILE_SIZE_OFFSET) + 4096)),
                rule("file size", h -> h.putLong(FILE_SIZE_OFFSET, -1)),
                rule("frame header size", h -> h.putInt(FRAME_HEADER_SIZE_OFFSET, 64)),
                rule("nx", h -> h.putInt(NX_OFFSET, 0)),
                rule("nx", h -> h.putInt(NX_OFFSET, -1)),
                rule("ny", h -> h.putInt(NY_OFFSET, MAX_DIMENSION + 1)),
                rule("field count", h -> h.putInt(FIELD_COUNT_OFFSET, 0)),
                rule("field count", h -> h.putInt(FIELD_COUNT_OFFSET, MAX_FIELDS + 1)),
                rule("buffer count", h -> h.putInt(BUFFER_COUNT_OFFSET, 1)),
                rule("buffer count", h -> h.putInt(BUFFER_COUNT_OFFSET, MAX_BUFFERS + 1)),
                rule("field stride", h -> h.putInt(NX_OFFSET, 4096)),            // fields now bigger than the stride
                rule("field stride", h -> h.putLong(FIELD_STRIDE_OFFSET, 12)),
                rule("field stride", h -> h.putLong(FIELD_STRIDE_OFFSET, Long.MIN_VALUE)),
                rule("buffer size", h -> h.putLong(BUFFER_SIZE_OFFSET, 4096)),
                rule("buffer size", h -> h.putLong(BUFFER_SIZE_OFFSET, h.getLong(FILE_SIZE_OFFSET) * 2)),
                rule("buffer offset[0]", h -> h.putLong(BUFFER_OFFSETS_OFFSET, h.getLong(BUFFER_OFFSETS_OFFSET) + 8)),
                rule("buffer offset[0]", h -> h.putLong(BUFFER_OFFSETS_OFFSET, 0)),
                rule("buffer offset[1]", h -> h.putLong(BUFFER_OFFSETS_OFFSET + 8, h.getLong(BUFFER_OFFSETS_OFFSET))),
                rule("buffer offset[2]", h -> h.putLong(BUFFER_OFFSETS_OFFSET + 16, h.getLong(FILE_SIZE_OFFSET))),
                rule("buffer offset[3]", h -> h.putLong(BUFFER_OFFSETS_OFFSET + 24, 8192)),
                rule("dx", h -> h.putDouble(DX_OFFSET, 0.0)),
                rule("dx", h -> h.putDouble(DX_OFFSET, Double.NaN)),
                rule("dy", h -> h.putDouble(DY_OFFSET, Double.POSITIVE_INFINITY)),
                rule("dt", h -> h.putDouble(DT_OFFSET, -1.0)),
                rule("tile", h -> h.putInt(TILE_ORIGIN_X_OFFSET, 1)),
                rule("tile", h -> h.putInt(GLOBAL_NY_OFFSET, 3)),
                rule("kernel name", h -> fill(h, KERNEL_NAME_OFFSET, KERNEL_NAME_CAPACITY, (byte) 'k')),
                rule("kernel name", h -> h.put(KERNEL_NAME_OFFSET + 10, (byte) 'x')),   // garbage after the NUL
                rule("boundary", h -> h.put(BOUNDARY_OFFSET, (byte) 0xC3)),            // truncated UTF-8 sequence
                rule("field name[0]", h -> fill(h, FIELD_NAMES_OFFSET, FIELD_NAME_CAPACITY, (byte) 0)),
                rule("field name[1]", h -> h.put(FIELD_NAMES_OFFSET + FIELD_NAME_CAPACITY, (byte) 'T')),
                rule("field name[2]", h -> h.put(FIELD_NAMES_OFFSET + 2 * FIELD_NAME_CAPACITY, (byte) 'v')),
                rule("parameters", h -> fill(h, PARAMS_OFFSET, PARAMS_CAPACITY, (byte) 'p')));
    }

    @ParameterizedTest(name = "{0} #{index}")
    @MethodSource("mutations")
    void rejectsWithFieldNamed(String field, Consumer<ByteBuffer> mutation) throws IOException {
        byte[] bytes = valid.clone();
        mutation.accept(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
        assertRejected(bytes, field);
    }

    @ParameterizedTest(name = "{0} bytes")
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 7, 100, HEADER_SIZE - 1, HEADER_SIZE + 4096})
    void rejectsShortAndTruncatedFiles(int length) throws IOException {
        assertRejected(Arrays.copyOf(valid, length), "file size");
    }

    @org.junit.jupiter.api.Test
    void namesBothVersionsForAnUnknownMajorVersion() throws IOException {
        byte[] bytes = valid.clone();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(MAJOR_VERSION_OFFSET, (short) 7);
        SegmentFormatException e = assertRejected(bytes, "major version");
        assertTrue(e.getMessage().contains("7." + MINOR_VERSION) && e.getMessage().contains("version 1"), e.getMessage());
    }

    private SegmentFormatException assertRejected(byte[] bytes, String field) throws IOException {
        Path bad = dir.resolve("bad-" + System.nanoTime() + ".hgrid");
        Files.write(bad, bytes);
        SegmentFormatException e = assertThrows(SegmentFormatException.class, () -> FrameReader.open(bad).close());
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(bad.toString() + ": " + field), e.getMessage());
        return e;
    }

    private static Arguments rule(String field, Consumer<ByteBuffer> mutation) {
        return Arguments.of(field, mutation);
    }

    private static void fill(ByteBuffer header, int offset, int length, byte value) {
        for (int i = 0; i < length; i++) {
            header.put(offset + i, value);
        }
    }
}
