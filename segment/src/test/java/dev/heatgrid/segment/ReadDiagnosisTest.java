package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a failed consistent read means: damage is called damage, and "more buffers" is suggested only
 * when the writer really overtook the reader.
 */
class ReadDiagnosisTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void aGenerationWordAheadOfItsBufferIsDamageNotSlowness() throws Exception {
        Path path = dir.resolve("ahead.hgrid");
        try (SegmentWriter writer = publishThree(path);
             SegmentFile raw = SegmentFile.open(path, SegmentFile.Access.READ_WRITE, false);
             FrameReader reader = FrameReader.open(path)) {
            raw.mapping().set(ValueLayout.JAVA_LONG, SegmentDescriptor.GENERATION_OFFSET, 1001); // a live writer, a bogus word
            long start = System.nanoTime();
            FrameCorruptedException e = assertThrows(FrameCorruptedException.class, reader::verifyLatest);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "took the read's whole time limit");
            assertTrue(e.getMessage().contains("generation word says 1001"), e.getMessage());
            assertFalse(e.getMessage().contains("buffers"), e.getMessage());
        }
    }

    @Test
    void aGenerationWordBehindItsBufferThatNeverMovesIsDamageToo() throws Exception {
        Path path = dir.resolve("behind.hgrid");
        try (SegmentWriter writer = publishThree(path);
             SegmentFile raw = SegmentFile.open(path, SegmentFile.Access.READ_WRITE, false);
             FrameReader reader = FrameReader.open(path)) {
            raw.mapping().set(ValueLayout.JAVA_LONG, SegmentDescriptor.GENERATION_OFFSET, 1); // its buffer holds 3 now
            reader.setMaxReadNanos(TimeUnit.MILLISECONDS.toNanos(300));
            FrameCorruptedException e = assertThrows(FrameCorruptedException.class, () -> reader.latest(
                    Frame.shapedFor(reader.layout())));
            assertTrue(e.getMessage().contains("nothing was published"), e.getMessage());
            assertFalse(e.getMessage().contains("more buffers"), e.getMessage());
        }
    }

    @Test
    void aWriterThatKeepsOvertakingIsSlownessNotDamage() throws Exception {
        Path path = dir.resolve("fast.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(1024, 1024, "T"));
             FrameReader reader = FrameReader.open(path)) {
            // Every buffer holds the same data, so the writer can republish it in a microsecond.
            List<FieldStats> stats = new ArrayList<>();
            for (int b = 0; b < 2; b++) {
                var back = writer.beginFrame();
                back.fields().get(0).fill((byte) 1);
                stats = List.of(FrameStatistics.of(back.fields().get(0), writer.layout().cells(), 1, 1));
                writer.publish(b, b, stats, "");
            }
            // The writer overtakes every visit: it publishes over the buffer being read, twice, while
            // the visit runs (from inside it, so a loaded machine cannot let a read slip through).
            List<FieldStats> same = stats;
            long[] step = {2};
            FrameVisitor<FrameHeader> overtaken = new FrameVisitor<>() {
                @Override
                public void visit(FrameHeader header, Stamped frame, int lost) {
                    try {
                        for (int i = 0; i < 2; i++, step[0]++) {
                            writer.beginFrame();
                            writer.publish(step[0], step[0], same, "");
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }

                @Override
                public FrameHeader result(FrameHeader header) {
                    return header;
                }
            };
            reader.setMaxReadNanos(TimeUnit.MILLISECONDS.toNanos(500));
            FrameOvertakenException e = assertThrows(FrameOvertakenException.class, () -> reader.read(overtaken));
            assertTrue(e.getMessage().contains("more buffers give it more") && e.tries() >= 1, e.getMessage());
            assertEquals(writer.generation(), reader.verifyLatest().generation(), "a quiet writer's frame verifies");
        }
    }

    private static SegmentWriter publishThree(Path path) throws Exception {
        SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(16, 16, "T"));
        for (int g = 1; g <= 3; g++) {
            GenerationPattern.fill(writer.beginFrame().fields().get(0), 256, g);
            writer.publish(g, g, "");
        }
        return writer;
    }
}
