package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A hostile or broken file can only ever produce a {@link SegmentFormatException} (or, for one that
 * opens, a clean read or a {@link FrameCorruptedException}): never another exception, a hang or a
 * JVM crash. Cases: headers of random bytes, valid headers with random bytes overwritten, numeric
 * fields set to extreme values, frame headers scribbled over, and files cut at random lengths.
 */
class HostileHeaderPropertyTest {
    private static final int TRIES = 10_000;
    private static final AtomicLong OPENED = new AtomicLong();
    private static final AtomicLong REJECTED = new AtomicLong();
    private static Path dir;
    private static byte[] valid;
    private static final List<Integer> NUMERIC_FIELDS = List.of(MAJOR_VERSION_OFFSET, HEADER_SIZE_OFFSET,
            FILE_SIZE_OFFSET, FLAGS_OFFSET, FRAME_HEADER_SIZE_OFFSET, NX_OFFSET, NY_OFFSET, FIELD_COUNT_OFFSET,
            BUFFER_COUNT_OFFSET, FIELD_STRIDE_OFFSET, BUFFER_SIZE_OFFSET, DX_OFFSET, DY_OFFSET, DT_OFFSET,
            TILE_ORIGIN_X_OFFSET, TILE_ORIGIN_Y_OFFSET, GLOBAL_NX_OFFSET, GLOBAL_NY_OFFSET, BUFFER_OFFSETS_OFFSET,
            BUFFER_OFFSETS_OFFSET + 8, BUFFER_OFFSETS_OFFSET + 16, GENERATION_OFFSET);

    @BeforeContainer
    static void createValidSegment() throws IOException {
        dir = Files.createTempDirectory(Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm")
                : Path.of(System.getProperty("java.io.tmpdir")), "heatgrid-fuzz-");
        Path good = dir.resolve("good.hgrid");
        SegmentSpec spec = SegmentSpec.of(24, 10, "T", "v").withBuffers(3).withKeep(true)
                .withKernel("ftcs", "neumann", java.util.Map.of("alpha", "0.25"));
        try (SegmentWriter writer = SegmentWriter.create(good, spec)) {
            for (int g = 1; g <= 4; g++) {
                writer.beginFrame().fields().forEach(f -> f.fill((byte) 0x3F));
                writer.publish(g, g, "step=" + g + "\n");
            }
        }
        valid = Files.readAllBytes(good);
    }

    @AfterContainer
    static void report() throws IOException {
        System.out.printf("hostile files: %d opened cleanly, %d rejected with SegmentFormatException%n",
                OPENED.get(), REJECTED.get());
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Property(tries = TRIES, seed = "20261126")
    void onlySegmentFormatExceptionsEscape(@ForAll("hostileFiles") byte[] file) throws IOException {
        Path path = dir.resolve("case.hgrid");
        Files.write(path, file);
        try (FrameReader reader = FrameReader.open(path)) {
            OPENED.incrementAndGet();
            reader.setMaxReadNanos(50_000_000);
            try {
                reader.latest(Frame.shapedFor(reader.layout()));
                reader.commandLog();
                reader.writer();
            } catch (FrameCorruptedException expected) {
                // a consistent-looking frame whose data does not match: reported, not returned
            } catch (IllegalArgumentException tooLargeForAnArray) {
                if (!tooLargeForAnArray.getMessage().contains("more than a Java array holds")) {
                    throw tooLargeForAnArray;
                }
            }
        } catch (SegmentFormatException expected) {
            REJECTED.incrementAndGet();
        } finally {
            Files.deleteIfExists(path);
        }
    }

    @Provide
    Arbitrary<byte[]> hostileFiles() {
        Arbitrary<byte[]> randomHeader = Arbitraries.integers().between(0, 3 * HEADER_SIZE)
                .flatMap(n -> Arbitraries.bytes().array(byte[].class).ofSize(n));
        Arbitrary<byte[]> scribbled = Combinators.combine(
                Arbitraries.integers().between(0, valid.length - 1).list().ofMinSize(1).ofMaxSize(12),
                Arbitraries.bytes().list().ofSize(12))
                .as((offsets, values) -> {
                    byte[] bytes = valid.clone();
                    for (int i = 0; i < offsets.size(); i++) {
                        bytes[offsets.get(i)] = values.get(i);
                    }
                    return bytes;
                });
        Arbitrary<byte[]> extremeField = Combinators.combine(Arbitraries.of(NUMERIC_FIELDS),
                Arbitraries.oneOf(Arbitraries.of(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 0xFFFF_FFFFL,
                        (long) HEADER_SIZE, (long) valid.length, 1L << 40), Arbitraries.longs()),
                Arbitraries.of(4, 8))
                .as((offset, value, width) -> {
                    byte[] bytes = valid.clone();
                    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                    if (width == 4) {
                        buffer.putInt(offset, (int) value.longValue());
                    } else {
                        buffer.putLong(offset, value);
                    }
                    return bytes;
                });
        Arbitrary<byte[]> truncated = Arbitraries.integers().between(0, valid.length)
                .map(n -> Arrays.copyOf(valid, n));
        return Arbitraries.oneOf(randomHeader, scribbled, extremeField, truncated);
    }
}
