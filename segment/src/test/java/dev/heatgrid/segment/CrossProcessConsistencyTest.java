package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seqlock protocol across real process boundaries, both directions: a flat-out writer in one
 * JVM, a reader taking 100,000 consistent reads in another. Every accepted frame must be whole,
 * generations must never go backwards, and the reader must have seen many generations.
 */
class CrossProcessConsistencyTest {
    private static final int NX = 128;
    private static final int NY = 128;
    private static final long READS = 100_000;
    /** Reads of 2 MiB frames: half of them through {@link FrameReader#latest}, each raced by the writer. */
    private static final long LARGE_READS = 4_000;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void readerInThisJvmSeesOnlyWholeFramesFromWriterJvm() throws Exception {
        GenerationPattern.ReadReport report = readFromWriterJvm("w2r.hgrid", NX, NY, READS);
        System.out.println("writer JVM -> reader JVM: " + report.line() + String.format(" reads/s=%.0f",
                report.reads() / (report.nanos() / 1e9)));
        check(report);
    }

    /**
     * Fields above {@link FrameReader#COPY_FIRST_BYTES} are copied in chunks, each checksummed from the
     * mapping right after it was copied (FrameChecksum.copyAndSum) while the writer may be rewriting
     * it: what was copied and what was summed must be one frame, or the read must be retried.
     */
    @Test
    void framesCopiedAndSummedChunkByChunkAreWholeUnderAWriterPublishingFlatOut() throws Exception {
        int n = 512; // 2 MiB a field
        assertTrue((long) n * n * Double.BYTES > FrameReader.COPY_FIRST_BYTES);
        GenerationPattern.ReadReport report = readFromWriterJvm("chunks.hgrid", n, n, LARGE_READS);
        System.out.println("writer JVM -> reader JVM, " + n + "^2: " + report.line());
        assertEquals(LARGE_READS, report.reads());
        assertEquals(0, report.torn(), "torn frames accepted as consistent");
        assertEquals(0, report.backwards(), "generation went backwards");
        assertTrue(report.latestRetries() > 0, "the writer never overtook a read: no race was tried");
    }

    /** Reads {@code reads} frames here from a child JVM publishing nx x ny pattern frames flat out into 2 buffers. */
    private GenerationPattern.ReadReport readFromWriterJvm(String name, int nx, int ny, long reads) throws Exception {
        Path segment = dir.resolve(name);
        try (JvmProcess writer = JvmProcess.start(PatternWriterMain.class, segment.toString(),
                Integer.toString(nx), Integer.toString(ny), "2", "120")) {
            writer.awaitLine("READY", Duration.ofSeconds(30));
            GenerationPattern.ReadReport report;
            try (FrameReader reader = FrameReader.open(segment)) {
                report = GenerationPattern.readAndCheck(reader, reads);
            }
            assertTrue(writer.isAlive(), "writer died:\n" + writer.stderr());
            return report;
        }
    }

    @Test
    void readerJvmSeesOnlyWholeFramesFromWriterInThisJvm() throws Exception {
        Path segment = dir.resolve("r2w.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(NX, NY, "T"))) {
            SegmentWriter.BackFrame first = writer.beginFrame();
            GenerationPattern.fill(first.fields().get(0), writer.layout().cells(), first.generation());
            writer.publish(1, 0.5, "pattern=generation\n");
            try (JvmProcess reader = JvmProcess.start(PatternReaderMain.class, segment.toString(),
                    Long.toString(READS))) {
                reader.awaitLine("ATTACHED", Duration.ofSeconds(30));
                // Publish flat out until the reader is done (bounded, in case it hangs).
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (reader.isAlive() && System.nanoTime() < deadline) {
                    GenerationPattern.publishFlatOut(writer, TimeUnit.MILLISECONDS.toNanos(50));
                }
                assertEquals(0, reader.waitFor(Duration.ofSeconds(10)), reader.stderr());
                GenerationPattern.ReadReport report = GenerationPattern.ReadReport.parse(
                        reader.awaitLine("RESULT", Duration.ofSeconds(1)));
                System.out.println("writer JVM <- reader JVM: " + report.line());
                check(report);
            }
        }
    }

    private static void check(GenerationPattern.ReadReport report) {
        assertEquals(READS, report.reads());
        assertEquals(0, report.torn(), "torn frames accepted as consistent");
        assertEquals(0, report.backwards(), "generation went backwards");
        assertTrue(report.distinct() >= 100, "saw only " + report.distinct() + " distinct generations");
    }
}
