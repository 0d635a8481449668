package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating, attaching, replacing, resuming and removing segments. */
class SegmentLifecycleTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void createsAnOwnerOnlyFileOfTheFullSize() throws IOException {
        Path path = dir.resolve("mode.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(100, 50, "T"))) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            assertEquals(writer.layout().fileSize(), Files.size(path));
            assertEquals(0, writer.layout().bufferOffset(1) % SegmentDescriptor.PAGE_SIZE);
        }
    }

    @Test
    void groupOptionMakesTheFileGroupReadable() throws IOException {
        Path path = dir.resolve("group.hgrid");
        String group = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        try (SegmentWriter ignored = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"),
                new CreateOptions(false, group))) {
            assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
        }
        IOException e = assertThrows(IOException.class, () -> SegmentWriter.create(dir.resolve("nogroup.hgrid"),
                SegmentSpec.of(8, 8, "T"), new CreateOptions(false, "no-such-group-xyz")));
        assertTrue(e.getMessage().contains("no-such-group-xyz"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("nogroup.hgrid")));
    }

    @Test
    void refusesASegmentOwnedByAnotherUserUnlessAllowed() throws IOException {
        Path path = dir.resolve("theirs.hgrid");
        SegmentWriter.create(path, SegmentSpec.of(8, 8, "T").withKeep(true)).close();
        var nobody = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        try {
            Files.setOwner(path, nobody);
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("cannot give a file away here (needs root): " + e);
        }
        SegmentOwnerException e = assertThrows(SegmentOwnerException.class, () -> FrameReader.open(path));
        assertEquals("nobody", e.owner());
        assertTrue(e.getMessage().contains("belongs to user 'nobody'"), e.getMessage());
        try (FrameReader reader = FrameReader.open(path, true)) {
            assertEquals(8, reader.layout().nx());
        }
    }

    @Test
    void neverCreatesThroughASymlink() throws IOException {
        Path target = dir.resolve("victim");
        Files.writeString(target, "precious");
        Path link = dir.resolve("link.hgrid");
        Files.createSymbolicLink(link, target);
        IOException e = assertThrows(IOException.class, () -> SegmentWriter.create(link, SegmentSpec.of(8, 8, "T")));
        assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
        assertEquals("precious", Files.readString(target));
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "a temporary file was left behind");
        }
    }

    @Test
    void lastProcessToLeaveRemovesTheFileUnlessKept() throws IOException {
        Path path = dir.resolve("last.hgrid");
        SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
        FrameReader reader = FrameReader.open(path);
        FrameReader second = FrameReader.open(path);
        writer.close();
        assertTrue(Files.exists(path), "removed while readers were attached");
        second.close();
        assertTrue(Files.exists(path), "removed while a reader was attached");
        reader.close();
        assertFalse(Files.exists(path), "the last reader did not remove the file");

        Path kept = dir.resolve("kept.hgrid");
        SegmentWriter.create(kept, SegmentSpec.of(8, 8, "T").withKeep(true)).close();
        assertTrue(Files.exists(kept));
    }

    @Test
    void aCrashedRunIsRemovedByItsLastCompanionButNeverByALaterVisitor() throws Exception {
        Path joined = dir.resolve("joined.hgrid");
        try (JvmProcess writer = JvmProcess.start(PatternWriterMain.class, joined.toString(), "32", "32", "2", "60")) {
            writer.awaitLine("READY", Duration.ofSeconds(30));
            FrameReader viewer = FrameReader.open(joined);
            writer.kill();
            viewer.close();
        }
        assertFalse(Files.exists(joined), "the last process of an unkept run left its file behind");

        Path visited = dir.resolve("visited.hgrid");
        try (JvmProcess writer = JvmProcess.start(PatternWriterMain.class, visited.toString(), "32", "32", "2", "60")) {
            writer.awaitLine("READY", Duration.ofSeconds(30));
            writer.kill();
        }
        FrameReader.open(visited).close();
        assertTrue(Files.exists(visited), "a reader that came after the crash removed what it left for --resume");

        SegmentWriter.resume(visited).close();
        assertFalse(Files.exists(visited), "a clean exit of the resumed writer left the file");
    }

    @Test
    void aSecondWriterFailsFastNamingTheOwner() throws Exception {
        Path path = dir.resolve("single.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"))) {
            writer.beginFrame();
            writer.publish(0, 0, "");
            long me = ProcessHandle.current().pid();
            try (JvmProcess other = JvmProcess.start(TryWriterMain.class, path.toString())) {
                assertEquals(0, other.waitFor(Duration.ofSeconds(30)), other.stderr());
                String line = other.awaitLine("BUSY", Duration.ofSeconds(1));
                assertTrue(line.contains("ownerPid=" + me) && line.contains("pid " + me), line);
            }
            SegmentBusyException inProcess = assertThrows(SegmentBusyException.class,
                    () -> SegmentWriter.create(path, SegmentSpec.of(8, 8, "T")));
            assertTrue(inProcess.getMessage().contains("already has a writer"), inProcess.getMessage());
        }
    }

    @Test
    void resumeContinuesFromTheLastPublishedGeneration() throws IOException {
        Path path = dir.resolve("resume.hgrid");
        SegmentSpec spec = SegmentSpec.of(16, 8, "T").withKeep(true).withKernel("pattern", "", Map.of("a", "1"));
        try (SegmentWriter writer = SegmentWriter.create(path, spec)) {
            for (int g = 1; g <= 3; g++) {
                GenerationPattern.fill(writer.beginFrame().fields().get(0), 128, g);
                writer.publish(g * 10L, g * 0.5, "a=" + g + "\n");
            }
            writer.beginFrame(); // a frame begun but never published must not count
        }
        try (SegmentWriter writer = SegmentWriter.resume(path)) {
            assertEquals(3, writer.generation());
            assertEquals(30, writer.publishedHeader().step());
            assertEquals("3", writer.publishedHeader().paramMap().get("a"));
            assertEquals(spec, writer.layout().spec());
            GenerationPattern.fill(writer.beginFrame().fields().get(0), 128, 4);
            writer.publish(40, 2.0, "");
        }
        try (FrameReader reader = FrameReader.open(path)) {
            Frame frame = Frame.shapedFor(reader.layout());
            assertEquals(4, reader.latest(frame));
            assertEquals(4, GenerationPattern.wholeGeneration(frame.field(0)));
        }
    }

    @Test
    void replacesADeadUnkeptSegmentButRefusesAKeptOne() throws IOException {
        Path path = dir.resolve("replace.hgrid");
        try (FrameReader oldReader = attachToFinishedSegment(path, false)) {
            try (SegmentWriter fresh = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"))) {
                assertEquals(PathState.REPLACED, oldReader.pathState());
                assertEquals(0, fresh.generation());
            }
        }
        Path neverPublished = dir.resolve("empty.hgrid");
        SegmentWriter.create(neverPublished, SegmentSpec.of(8, 8, "T").withKeep(true)).close();
        IOException nothing = assertThrows(NothingToResumeException.class, () -> SegmentWriter.resume(neverPublished));
        assertTrue(nothing.getMessage().contains("no published frame"), nothing.getMessage());
        SegmentWriter.create(neverPublished, SegmentSpec.of(8, 8, "T")).close(); // kept, but nothing to lose

        Path keptPath = dir.resolve("kept.hgrid");
        try (FrameReader ignored = attachToFinishedSegment(keptPath, true)) {
            SegmentBusyException e = assertThrows(SegmentBusyException.class,
                    () -> SegmentWriter.create(keptPath, SegmentSpec.of(8, 8, "T")));
            assertEquals(SegmentBusyException.Reason.KEPT, e.reason(), e.getMessage());
            assertTrue(e.getMessage().contains("was kept by an earlier run"), e.getMessage());
        }
    }

    private FrameReader attachToFinishedSegment(Path path, boolean keep) throws IOException {
        FrameReader reader;
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T").withKeep(keep))) {
            writer.beginFrame();
            writer.publish(0, 0, "");
            reader = FrameReader.open(path);
        }
        return reader;
    }

    @Test
    void aTruncatedFileIsReportedAsGoneNotAsACrash() throws IOException {
        Path path = dir.resolve("trunc.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(64, 64, "T"));
             FrameReader reader = FrameReader.open(path)) {
            writer.beginFrame();
            writer.publish(0, 0, "");
            Frame frame = Frame.shapedFor(reader.layout());
            assertEquals(1, reader.latest(frame));
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
                file.setLength(SegmentDescriptor.PAGE_SIZE);
            }
            SegmentGoneException e = assertThrows(SegmentGoneException.class, () -> reader.latest(frame));
            assertTrue(e.getMessage().contains("truncated or removed"), e.getMessage());
        }
    }

    @Test
    void theReaderMappingIsReadOnly() throws IOException {
        Path path = dir.resolve("ro.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             FrameReader reader = FrameReader.open(path)) {
            writer.beginFrame();
            writer.publish(0, 0, "");
            var field = reader.field(reader.tryOptimisticRead(), 0);
            assertTrue(field.isReadOnly());
            assertThrows(IllegalArgumentException.class,
                    () -> field.set(java.lang.foreign.ValueLayout.JAVA_DOUBLE, 0, 1.0));
        }
    }
}
