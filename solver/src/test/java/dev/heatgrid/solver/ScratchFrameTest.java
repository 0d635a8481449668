package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scratch frame between publications: the same kind of memory as the segment's frames (the
 * vector loops' accesses then see one segment class; a native scratch frame made them 2-3x slower
 * whenever it was used), zeroed, one region per field, and no file left behind.
 */
class ScratchFrameTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void theScratchFrameIsMemoryOfTheSegmentsKind() throws IOException {
        try (Solver solver = Solver.create(dir.resolve("kind.hgrid"), SolverConfig.builder()
                .size(GridSize.parse("40x30")).publishEvery(4).build())) {
            solver.run(StopCondition.steps(8)); // two intervals through the scratch frame
            assertSame(solver.publishedFields().get(0).getClass(), solver.scratch().get(0).getClass(),
                    "scratch frame and segment frames are different segment classes");
        }
    }

    @Test
    void zeroedSeparateFieldsAndNoFileLeftBehind() throws IOException {
        long before = scratchFiles();
        try (Arena arena = Arena.ofShared()) {
            List<MemorySegment> fields = ScratchFrame.map(arena, 3, 4096 * 3);
            assertEquals(3, fields.size());
            assertTrue(fields.get(0).isMapped());
            assertEquals(before, scratchFiles(), "the scratch file's name outlived its mapping");
            for (MemorySegment field : fields) {
                assertEquals(4096 * 3, field.byteSize());
                assertEquals(-1, field.mismatch(MemorySegment.ofArray(new byte[4096 * 3])), "not zeroed");
            }
            fields.get(1).fill((byte) 7);
            assertEquals(0, fields.get(0).get(ValueLayout.JAVA_BYTE, 4096 * 3 - 1));
            assertEquals(0, fields.get(2).get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    /** No /dev/shm (or no room in it): native memory, zeroed all the same. */
    @Test
    void withoutTheDirectoryItIsPlainNativeMemory() {
        try (Arena arena = Arena.ofShared()) {
            List<MemorySegment> fields = ScratchFrame.map(arena, dir.resolve("missing"), 2, 8192);
            assertEquals(2, fields.size());
            assertFalse(fields.get(0).isMapped());
            assertEquals(-1, fields.get(1).mismatch(MemorySegment.ofArray(new byte[8192])), "not zeroed");
        }
    }

    private static long scratchFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("/dev/shm"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("heatgrid-scratch-")).count();
        }
    }
}
