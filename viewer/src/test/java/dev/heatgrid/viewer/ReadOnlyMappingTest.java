package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The viewer maps segments read-only and leaves every byte of them as it found them. */
class ReadOnlyMappingTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void viewingMapsReadOnlyAndChangesNothing() throws Exception {
        Path segment = dir.resolve("readonly.hgrid");
        // Kept, and its writer gone: nothing but the viewer touches the file during the test.
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(128, 96, "T", "C").withKeep(true))) {
            for (int k = 0; k < 3; k++) {
                var fields = writer.beginFrame().fields();
                HotSpot.fill(fields.get(0), 128, 96, 30 + k, 40, 6);
                HotSpot.fill(fields.get(1), 128, 96, 90, 20 + k, 6);
                writer.publish(k, k * 0.1, "");
            }
        }
        byte[] before = sha256(segment);
        FileTime modified = Files.getLastModifiedTime(segment);

        var sink = new RecordingSink();
        try (var loop = new ViewerLoop(segment, ViewerOptions.defaults(), sink, sink.paints)) {
            loop.start();
            sink.awaitFrame(f -> f.generation() == 3, Duration.ofSeconds(20));
            loop.selectField("C");
            sink.awaitFrame(f -> f.field().equals("C"), Duration.ofSeconds(20));

            List<String> mappings = mappingsOf(segment);
            assertFalse(mappings.isEmpty(), "the viewer has the segment mapped");
            for (String mapping : mappings) {
                String permissions = mapping.split("\\s+")[1];
                assertEquals("r--s", permissions, "a shared read-only mapping: " + mapping);
            }
            Snapshot.write(segment, ViewerOptions.defaults(), dir.resolve("readonly.png"), ImageSize.DEFAULT,
                    Duration.ZERO);
        }
        assertTrue(mappingsOf(segment).isEmpty(), "closing the viewer unmaps the segment at once");
        assertArrayEquals(before, sha256(segment), "not one byte changed");
        assertEquals(modified, Files.getLastModifiedTime(segment));
    }

    private static List<String> mappingsOf(Path segment) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.endsWith(segment.toString())).toList();
    }

    private static byte[] sha256(Path file) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
    }
}
