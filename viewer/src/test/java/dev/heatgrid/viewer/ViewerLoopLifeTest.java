package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameChecksum;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.segment.SteeringCommand;
import dev.heatgrid.segment.WriterState;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The viewer survives every life event of the solver, keeping the last good frame and saying what happened. */
class ViewerLoopLifeTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private final RecordingSink sink = new RecordingSink();
    private ViewerLoop loop;

    private ViewerLoop follow(Path segment, ViewerOptions options) {
        loop = new ViewerLoop(segment, options, sink, sink.paints);
        loop.start();
        return loop;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (loop != null) {
            loop.close();
        }
    }

    private static String run(RenderedFrame frame) {
        return frame.header().paramMap().get("run");
    }

    @Test
    void startedBeforeTheSolverWaitsForTheFileThenShowsItsFrames() throws Exception {
        Path segment = dir.resolve("later.hgrid");
        follow(segment, ViewerOptions.defaults());
        ViewerStatus waiting = sink.awaitStatus(s -> s.problem() != null, PATIENCE);
        assertEquals("waiting for segment " + segment + " to appear", waiting.problem());
        assertEquals(0, waiting.generation());
        assertTrue(waiting.line().startsWith("no frame yet"), waiting.line());
        Thread.sleep(300); // still waiting, still alive
        assertNull(sink.last());

        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(32, 32, "T"))) {
            HotSpot.fill(writer.beginFrame().fields().get(0), 32, 32, 16, 16, 4);
            writer.publish(7, 0.07, "");
            RenderedFrame first = sink.awaitFrame(f -> f.generation() == 1, PATIENCE);
            assertEquals(7, first.header().step());
            ViewerStatus running = sink.awaitStatus(s -> s.generation() == 1 && s.problem() == null, PATIENCE);
            assertEquals(SolverState.RUNNING, running.solver());
            assertEquals(ProcessHandle.current().pid(), running.solverPid());
        }
    }

    @Test
    void aChecksumFailureKeepsTheLastGoodFrameAndWarns() throws Exception {
        Path segment = dir.resolve("damaged.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(32, 32, "T"))) {
            follow(segment, ViewerOptions.defaults());
            HotSpot.fill(writer.beginFrame().fields().get(0), 32, 32, 8, 8, 4);
            writer.publish(1, 0.1, "");
            RenderedFrame good = sink.awaitFrame(f -> f.generation() == 1, PATIENCE);

            MemorySegment field = writer.beginFrame().fields().get(0);
            HotSpot.fill(field, 32, 32, 20, 20, 4);
            long wrong = FrameChecksum.of(field, 32 * 32) ^ 0x10;
            writer.publish(2, 0.2, List.of(new FieldStats(20, 100, 25, 25_000, wrong)), "");
            ViewerStatus failing = sink.awaitStatus(s -> s.checksum().failing(), PATIENCE);
            assertEquals(2, failing.checksum().failedGeneration());
            assertEquals(1, failing.generation(), "the status still describes the good frame on display");
            assertTrue(failing.alert().contains("checksum"), failing.alert());
            assertTrue(failing.line().contains("checksum FAILED at generation 2"), failing.line());
            assertSame(good, sink.last(), "the damaged frame is never shown");

            HotSpot.fill(writer.beginFrame().fields().get(0), 32, 32, 24, 24, 4);
            writer.publish(3, 0.3, "");
            sink.awaitFrame(f -> f.generation() == 3, PATIENCE);
            ViewerStatus recovered = sink.awaitStatus(s -> !s.checksum().failing() && s.generation() == 3, PATIENCE);
            assertEquals(1, recovered.checksum().failures());
            assertTrue(sink.frames().stream().noneMatch(f -> f.generation() == 2));
        }
    }

    @Test
    void aKilledSolverLeavesItsLastFrameOnScreenAndTheStatusSaysSo() throws Exception {
        Path segment = dir.resolve("killed.hgrid");
        try (JvmProcess writer = JvmProcess.start(HotSpotWriterMain.class, segment.toString(), "64", "64", "1", "0",
                "5")) {
            writer.awaitLine("READY", PATIENCE);
            follow(segment, ViewerOptions.defaults());
            sink.awaitFrame(f -> f.generation() > 3, PATIENCE);
            assertEquals(SolverState.RUNNING, sink.awaitStatus(s -> s.generation() > 3, PATIENCE).solver());
            writer.kill();

            ViewerStatus gone = sink.awaitStatus(s -> s.solver() == SolverState.GONE, PATIENCE);
            assertTrue(gone.alert().contains("killed or crashed"), gone.alert());
            assertEquals(writer.pid(), gone.solverPid());
            RenderedFrame last = sink.last();
            Thread.sleep(300);
            assertSame(last, sink.last(), "nothing new after the kill, and the last frame stays");
            ViewerStatus later = sink.awaitStatus(s -> s.generation() == last.generation(), PATIENCE);
            assertEquals(SolverState.GONE, later.solver());
            assertEquals(0, later.solverStepsPerSecond());
        }
    }

    @Test
    void solverRestartsMidViewAndTheViewerFollowsEachNewRun() throws Exception {
        Path segment = dir.resolve("restarts.hgrid");
        // Run 1 ends cleanly, run 2 is killed, run 3 replaces the dead run's file.
        try (JvmProcess first = JvmProcess.start(HotSpotWriterMain.class, segment.toString(), "48", "48", "1", "150",
                "5")) {
            first.awaitLine("READY", PATIENCE);
            follow(segment, ViewerOptions.defaults());
            sink.awaitFrame(f -> "1".equals(run(f)), PATIENCE);
            assertEquals(0, first.waitFor(PATIENCE));
            ViewerStatus exited = sink.awaitStatus(s -> s.solver() == SolverState.EXITED, PATIENCE);
            assertTrue(exited.alert().contains("final frame"), exited.alert());
        }
        try (JvmProcess second = JvmProcess.start(HotSpotWriterMain.class, segment.toString(), "64", "32", "2", "0",
                "5")) {
            second.awaitLine("READY", PATIENCE);
            RenderedFrame frame = sink.awaitFrame(f -> "2".equals(run(f)), PATIENCE);
            assertEquals(64, frame.extent().nx(), "the new run's geometry, not the old one's");
            assertEquals(SolverState.RUNNING, sink.awaitStatus(s -> s.solverPid() == second.pid(), PATIENCE).solver());
            second.kill();
            sink.awaitStatus(s -> s.solver() == SolverState.GONE, PATIENCE);
        }
        try (JvmProcess third = JvmProcess.start(HotSpotWriterMain.class, segment.toString(), "40", "40", "3", "0",
                "5")) {
            third.awaitLine("READY", PATIENCE);
            RenderedFrame frame = sink.awaitFrame(f -> "3".equals(run(f)), PATIENCE);
            assertTrue(frame.generation() >= 1);
            assertEquals(List.of("1", "2", "3"), sink.runs());
            assertEquals(3, loop.attachments());
            ViewerStatus status = sink.awaitStatus(s -> s.solverPid() == third.pid() && s.problem() == null, PATIENCE);
            assertEquals(SolverState.RUNNING, status.solver());
            assertEquals(List.of(), staleMappings(segment), "old runs' files were unmapped when left behind");
        }
    }

    @Test
    void aTruncatedSegmentIsReportedTheLastFrameKeptAndTheNextRunFollowed() throws Exception {
        Path segment = dir.resolve("truncated.hgrid");
        try (JvmProcess writer = JvmProcess.start(HotSpotWriterMain.class, segment.toString(), "32", "32", "1", "3",
                "60000")) {
            writer.awaitLine("READY", PATIENCE);
            follow(segment, ViewerOptions.defaults());
            RenderedFrame last = sink.awaitFrame(f -> f.generation() == 1, PATIENCE);
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                channel.truncate(4096);
            }
            ViewerStatus truncated = sink.awaitStatus(s -> s.problem() != null && s.problem().contains("truncated"),
                    PATIENCE);
            assertTrue(truncated.problem().contains("keeping the last frame"), truncated.problem());
            assertEquals(1, truncated.generation());
            assertSame(last, sink.last());
            writer.kill();
        }
        // Whatever is at the path now is not a segment: the viewer says so and keeps trying.
        sink.awaitStatus(s -> s.problem() != null && s.problem().contains("file size"), PATIENCE);
        Files.delete(segment);
        try (JvmProcess next = JvmProcess.start(HotSpotWriterMain.class, segment.toString(), "32", "32", "2", "0",
                "5")) {
            next.awaitLine("READY", PATIENCE);
            sink.awaitFrame(f -> "2".equals(run(f)), PATIENCE);
            assertEquals(List.of(), staleMappings(segment));
        }
    }

    @Test
    void aSegmentTruncatedToNothingIsALostSegmentNotAViewerError() throws Exception {
        Path segment = dir.resolve("emptied.hgrid");
        try (JvmProcess writer = JvmProcess.start(HotSpotWriterMain.class, segment.toString(), "32", "32", "1", "3",
                "60000")) {
            writer.awaitLine("READY", PATIENCE);
            follow(segment, ViewerOptions.defaults());
            sink.awaitFrame(f -> f.generation() == 1, PATIENCE);
            // Right after a status: the loop's next look at the generation (within its 100 ms wait)
            // comes before its next status check (200 ms), which would find the truncation first.
            sink.awaitNextStatus(PATIENCE);
            try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.WRITE)) {
                channel.truncate(0); // the header's page too: the loop's next look at the generation faults
            }
            ViewerStatus lost = sink.awaitStatus(s -> s.problem() != null || s.warning() != null, PATIENCE);
            assertEquals(null, lost.warning(), "a fault of the mapping is the segment lost, not a viewer error");
            assertTrue(lost.problem().contains("keeping the last frame"), lost.problem());
            writer.kill();
        }
    }

    @Test
    void aRemovedFileKeepsTheMappedRunOnScreen() throws Exception {
        Path segment = dir.resolve("removed.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(16, 16, "T"))) {
            follow(segment, ViewerOptions.defaults());
            HotSpot.fill(writer.beginFrame().fields().get(0), 16, 16, 8, 8, 3);
            writer.publish(1, 0.1, "");
            sink.awaitFrame(f -> f.generation() == 1, PATIENCE);
            Files.delete(segment);
            ViewerStatus removed = sink.awaitStatus(s -> s.problem() != null, PATIENCE);
            assertTrue(removed.problem().startsWith("segment file removed"), removed.problem());
            // The solver still publishes into the mapping: the viewer keeps showing it.
            HotSpot.fill(writer.beginFrame().fields().get(0), 16, 16, 4, 4, 3);
            writer.publish(2, 0.2, "");
            sink.awaitFrame(f -> f.generation() == 2, PATIENCE);
        }
    }

    @Test
    void coalescesGenerationsItHasNoTimeToShowAndCountsThem() throws Exception {
        Path segment = dir.resolve("fast.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(64, 64, "T").withBuffers(4))) {
            follow(segment, ViewerOptions.defaults().withFps(10));
            for (int k = 1; k <= 300; k++) {
                int[] c = HotSpot.centreAt(k, 64, 64);
                HotSpot.fill(writer.beginFrame().fields().get(0), 64, 64, c[0], c[1], 4);
                writer.publish(k, k * 0.01, "");
                Thread.sleep(2);
            }
            sink.awaitFrame(f -> f.generation() == 300, PATIENCE);
            List<RenderedFrame> shown = sink.frames();
            assertTrue(shown.size() < 150, "at 10 frames/s most of 300 fast generations are coalesced: " + shown.size());
            long first = shown.getFirst().generation();
            ViewerStatus status = sink.awaitStatus(s -> s.generation() == 300, PATIENCE);
            assertEquals(300 - first + 1 - shown.size(), status.skipped(), "every generation is shown or counted");
            for (int i = 1; i < shown.size(); i++) {
                assertTrue(shown.get(i).generation() > shown.get(i - 1).generation(), "newest first, never backwards");
            }
        }
    }

    @Test
    void aMissingFieldIsNamedWithTheChoicesAndAnotherCanBeSelected() throws Exception {
        Path segment = dir.resolve("fields.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(16, 16, "T", "C"))) {
            var fields = writer.beginFrame().fields();
            HotSpot.fill(fields.get(0), 16, 16, 4, 4, 2);
            HotSpot.fill(fields.get(1), 16, 16, 12, 12, 2);
            writer.publish(1, 0.1, "");
            follow(segment, ViewerOptions.defaults().withField("U"));
            RenderedFrame fallback = sink.awaitFrame(f -> f.generation() == 1, PATIENCE);
            assertEquals("T", fallback.field());
            ViewerStatus status = sink.awaitStatus(s -> s.problem() != null, PATIENCE);
            assertEquals("no field 'U' in " + segment + "; it has T, C (showing T)", status.problem());

            loop.selectField("C");
            RenderedFrame c = sink.awaitFrame(f -> f.field().equals("C"), PATIENCE);
            assertEquals(1, c.fieldIndex());
            assertEquals(1, c.generation(), "a paused solver's frame is redrawn with the new field");
            assertNull(sink.awaitStatus(s -> "C".equals(s.field()), PATIENCE).problem());
        }
    }

    @Test
    void pausedSolverAndItsSteeringCommandsAreShown() throws Exception {
        Path segment = dir.resolve("steered.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(16, 16, "T"))) {
            follow(segment, ViewerOptions.defaults());
            HotSpot.fill(writer.beginFrame().fields().get(0), 16, 16, 8, 8, 3);
            writer.publish(40, 0.4, "");
            sink.awaitFrame(f -> f.generation() == 1, PATIENCE);
            long me = ProcessHandle.current().pid();
            writer.recordCommand(new SteeringCommand(1, SteeringCode.SET, SteeringCode.SET.code(), "alpha",
                    new double[] {0.25}, me), 40, CommandOutcome.applied("set alpha=0.25"));
            writer.recordCommand(new SteeringCommand(2, SteeringCode.SET, SteeringCode.SET.code(), "beta",
                    new double[] {-1}, me), 40, CommandOutcome.refused("unknown parameter 'beta'"));
            writer.recordCommand(new SteeringCommand(3, SteeringCode.PAUSE, SteeringCode.PAUSE.code(), "",
                    new double[0], me), 40, CommandOutcome.applied("pausing"));
            writer.setState(WriterState.PAUSED);
            ViewerStatus paused = sink.awaitStatus(s -> s.solver() == SolverState.PAUSED, PATIENCE);
            assertEquals("step 40: pause  ·  step 40: set beta=-1.0 (refused)  ·  step 40: set alpha=0.25",
                    paused.commandsLine());
            assertTrue(paused.line().endsWith("solver paused (pid " + me + ")"), paused.line());
            assertNull(paused.alert(), "pausing is not a problem");
        }
    }

    /** Mappings of files that were at {@code segment} but no longer are (the kernel marks them deleted). */
    static List<String> staleMappings(Path segment) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream()
                .filter(line -> line.contains(segment.toString()) && line.endsWith("(deleted)")).toList();
    }

}
