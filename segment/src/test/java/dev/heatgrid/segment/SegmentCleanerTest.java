package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who is attached, and cleaning up after processes that died. */
class SegmentCleanerTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void listsTheWriterAndEveryAttachedReaderByPid() throws Exception {
        Path path = dir.resolve("who.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"))) {
            writer.beginFrame();
            writer.publish(0, 0, "");
            long me = ProcessHandle.current().pid();
            try (JvmProcess reader = JvmProcess.start(AttachAndWaitMain.class, path.toString())) {
                reader.awaitLine("ATTACHED", Duration.ofSeconds(30));
                assertEquals(List.of(new AttachedProcesses.Attached(me, true),
                        new AttachedProcesses.Attached(reader.pid(), false)).stream().sorted(
                                java.util.Comparator.comparingLong(AttachedProcesses.Attached::pid)).toList(),
                        AttachedProcesses.of(path).stream().sorted(
                                java.util.Comparator.comparingLong(AttachedProcesses.Attached::pid)).toList());
                reader.kill();
            }
            assertEquals(List.of(new AttachedProcesses.Attached(me, true)), AttachedProcesses.of(path));
        }
    }

    @Test
    void removesWhatDeadProcessesLeftAndNothingElse() throws Exception {
        Path crashed = dir.resolve("crashed.hgrid");
        Path held = dir.resolve("held.hgrid");
        Path kept = dir.resolve("kept.hgrid");
        Path foreign = dir.resolve("foreign.hgrid");
        Files.writeString(foreign, "not a segment");
        Path halfCreated = dir.resolve(".x.hgrid.creating-" + JvmProcess.deadPid() + "-abc123");
        Files.writeString(halfCreated, "");

        // A writer SIGKILLed mid-run, with nobody else attached, leaves its file behind.
        try (JvmProcess writer = JvmProcess.start(PatternWriterMain.class, crashed.toString(), "32", "32", "2", "60")) {
            writer.awaitLine("READY", Duration.ofSeconds(30));
            writer.kill();
        }
        SegmentWriter.create(kept, SegmentSpec.of(8, 8, "T").withKeep(true)).close();

        try (SegmentWriter ignored = SegmentWriter.create(held, SegmentSpec.of(8, 8, "T"))) {
            Map<Path, SegmentCleaner.Outcome> dry = byPath(SegmentCleaner.clean(dir, false, true));
            assertEquals(SegmentCleaner.Action.REMOVED, dry.get(crashed).action());
            assertTrue(Files.exists(crashed), "a dry run removed a file");

            Map<Path, SegmentCleaner.Outcome> outcomes = byPath(SegmentCleaner.clean(dir, false, false));
            assertEquals(SegmentCleaner.Action.REMOVED, outcomes.get(crashed).action());
            assertEquals(SegmentCleaner.Action.IN_USE, outcomes.get(held).action());
            assertEquals(SegmentCleaner.Action.KEPT, outcomes.get(kept).action());
            assertEquals(SegmentCleaner.Action.SKIPPED, outcomes.get(foreign).action());
            assertEquals(SegmentCleaner.Action.REMOVED, outcomes.get(halfCreated).action());
            assertFalse(Files.exists(crashed));
            assertFalse(Files.exists(halfCreated));
            assertTrue(Files.exists(held) && Files.exists(kept) && Files.exists(foreign));

            // The held segment still works after the cleaner looked at it (its locks were not disturbed).
            assertEquals(List.of(new AttachedProcesses.Attached(ProcessHandle.current().pid(), true)),
                    AttachedProcesses.of(held));
        }
        assertEquals(SegmentCleaner.Action.REMOVED, byPath(SegmentCleaner.clean(dir, true, false)).get(kept).action());
        assertFalse(Files.exists(kept));
    }

    private static Map<Path, SegmentCleaner.Outcome> byPath(List<SegmentCleaner.Outcome> outcomes) {
        return outcomes.stream().collect(Collectors.toMap(SegmentCleaner.Outcome::path, Function.identity()));
    }
}
