package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.PatternWriterMain;
import dev.heatgrid.segment.SegmentDescriptor;
import dev.heatgrid.segment.SegmentLayout;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.SteeringCommand;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** inspect, snapshot, steer and clean against real segments. */
class SegmentCommandsTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void inspectJsonDescribesWhatTheWriterJvmWrote() throws Exception {
        Path path = dir.resolve("live.hgrid");
        try (JvmProcess writer = JvmProcess.start(PatternWriterMain.class, path.toString(), "48", "32", "3", "60")) {
            writer.awaitLine("READY", Duration.ofSeconds(30));
            CommandRun run = CommandRun.of("inspect", path.toString(), "--json", "--verify");
            assertEquals(0, run.exitCode(), run.toString());
            JsonNode json = new ObjectMapper().readTree(run.out());
            long generation = json.get("generation").asLong();
            assertTrue(generation >= 1, run.out());
            // The pattern writer publishes step = generation and time = generation / 2.
            assertEquals(generation, json.get("step").asLong());
            assertEquals(generation * 0.5, json.get("time").asDouble());
            assertEquals(48, json.get("nx").asInt());
            assertEquals(32, json.get("ny").asInt());
            assertEquals("[\"T\"]", json.get("fields").toString());
            assertEquals(writer.pid(), json.get("writer").get("pid").asLong());
            assertTrue(json.get("writer").get("alive").asBoolean());
            assertEquals("running", json.get("writer").get("state").asText());
            assertEquals(3, json.get("bufferStates").size());
            assertEquals(writer.pid(), json.get("attached").get(0).get("pid").asLong());
            assertTrue(json.get("attached").get(0).get("writer").asBoolean());
            assertTrue(json.get("verify").get("ok").asBoolean(), run.out());

            CommandRun human = CommandRun.of("inspect", path.toString());
            assertEquals(0, human.exitCode(), human.toString());
            assertTrue(human.out().contains("48 x 32 cells") && human.out().contains("pid " + writer.pid() + ", running"),
                    human.out());
        }
    }

    /**
     * FORMAT.md 2.2: the state word decides, so a writer record saying "exited" without a pid is an
     * exited writer, not "none"; and the format version is the file's, minor included.
     */
    @Test
    void inspectReportsTheFilesMinorVersionAndAnExitedWriterWithoutAPid() throws Exception {
        Path path = dir.resolve("minor.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T").withKeep(true))) {
            writer.beginFrame();
            writer.publish(42, 3577.1999999989375, "alpha=1.5\n");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 3),
                    SegmentDescriptor.MINOR_VERSION_OFFSET);
            channel.write(ByteBuffer.allocate(8), SegmentDescriptor.WRITER_PID_OFFSET);
        }
        CommandRun json = CommandRun.of("inspect", path.toString(), "--json");
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertEquals("1.3", report.get("format").asText());
        assertEquals(0, report.get("writer").get("pid").asLong());
        assertEquals("exited", report.get("writer").get("state").asText());
        assertEquals(3577.1999999989375, report.get("time").asDouble(), "JSON keeps every digit");

        CommandRun human = CommandRun.of("inspect", path.toString());
        assertEquals(0, human.exitCode(), human.toString());
        assertTrue(human.out().contains("(format 1.3, "), human.out());
        assertTrue(human.out().contains("writer      pid not recorded, exited"), human.out());
        assertTrue(human.out().contains("(step 42, time 3577.2, published "), human.out());
        assertTrue(human.out().matches("(?s).*published \\d+(\\.\\d)? (ms|s|min \\d+ s) ago.*"), human.out());
        assertTrue(human.out().contains("params      alpha=1.5"), human.out());
    }

    /** Issue 14: hints that pointed the wrong way, and sizes printed as "0.00 GiB". */
    @Test
    void messagesNameTheRealRemedyAndTheFileThatCannotBeWritten() throws Exception {
        Path kept = dir.resolve("kept.hgrid");
        CommandRun first = CommandRun.of("run", kept.toString(), "--size", "16", "--steps", "2", "--keep", "--quiet");
        assertEquals(0, first.exitCode(), first.toString());
        CommandRun again = CommandRun.of("run", kept.toString(), "--size", "16", "--steps", "2", "--quiet");
        assertEquals(CommandFailureHandler.RUNTIME, again.exitCode(), again.toString());
        assertTrue(again.err().contains("(heatgrid run SEGMENT --resume continues it; heatgrid clean --include-kept"
                + " removes it)"), again.err());

        CommandRun proc = CommandRun.of("snapshot", kept.toString(), "--out", "/proc/heatgrid-snapshot.npy");
        assertEquals(CommandFailureHandler.RUNTIME, proc.exitCode(), proc.toString());
        assertEquals("heatgrid snapshot: cannot write /proc/heatgrid-snapshot.npy: the directory /proc takes no new"
                + " files (file system type proc)\n", proc.err());

        CommandRun full = CommandRun.of("run", "/proc/heatgrid-run", "--size", "64", "--steps", "1");
        assertEquals(CommandFailureHandler.RUNTIME, full.exitCode(), full.toString());
        assertTrue(full.err().contains("not enough space for segment /proc/heatgrid-run: it needs 0.1 MiB and the file"
                + " system holding it (file system type proc) has 0.0 MiB free"), full.err());
    }

    @Test
    void verifyReportsACorruptFrameAndExitsOne() throws Exception {
        Path path = dir.resolve("bad.hgrid");
        SegmentLayout layout;
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(16, 16, "T").withKeep(true))) {
            writer.beginFrame().fields().get(0).fill((byte) 1);
            writer.publish(5, 1.0, "");
            layout = writer.layout();
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {42}), layout.fieldOffset(layout.bufferOf(1), 0) + 100);
        }
        CommandRun run = CommandRun.of("inspect", path.toString(), "--verify");
        assertEquals(CommandFailureHandler.RUNTIME, run.exitCode(), run.toString());
        assertTrue(run.out().contains("CORRUPT") && run.out().contains("checksum"), run.out());
        assertTrue(Files.exists(path), "inspect removed the segment it looked at");
    }

    @Test
    void snapshotWritesNpyAndCsvOfTheNewestFrame() throws Exception {
        Path path = dir.resolve("snap.hgrid");
        int nx = 7;
        int ny = 5;
        double[] cells = new double[nx * ny];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = Math.sin(i) * 1e3 + i / 7.0;
        }
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(nx, ny, "T", "v"))) {
            var back = writer.beginFrame();
            MemorySegment.copy(MemorySegment.ofArray(cells), 0, back.fields().get(1), 0, cells.length * 8L);
            writer.publish(3, 0.25, "");

            Path npy = dir.resolve("v.npy");
            CommandRun run = CommandRun.of("snapshot", path.toString(), "--out", npy.toString(), "--field", "v");
            assertEquals(0, run.exitCode(), run.toString());
            assertArrayEquals(cells, readNpy(npy, nx, ny));

            Path csv = dir.resolve("v.csv");
            assertEquals(0, CommandRun.of("snapshot", path.toString(), "--out", csv.toString(), "--field", "v").exitCode());
            double[] fromCsv = Files.readAllLines(csv).stream()
                    .flatMap(line -> java.util.Arrays.stream(line.split(",")))
                    .mapToDouble(Double::parseDouble).toArray();
            assertArrayEquals(cells, fromCsv);

            Path png = dir.resolve("v.png");
            CommandRun picture = CommandRun.of("snapshot", path.toString(), "--out", png.toString(), "--field", "v");
            assertEquals(0, picture.exitCode(), picture.toString());
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
            assertEquals(1000, image.getWidth());
            assertEquals(800, image.getHeight());

            CommandRun wrongField = CommandRun.of("snapshot", path.toString(), "--out", npy.toString(), "--field", "w");
            assertEquals(CommandFailureHandler.USAGE, wrongField.exitCode());
            assertTrue(wrongField.err().contains("no field 'w'; this segment has T, v"), wrongField.err());

            if (numpyAvailable()) {
                Process python = new ProcessBuilder("python3", "-c", "import numpy, sys; a = numpy.load(sys.argv[1]);"
                        + " print(a.shape, a.dtype, repr(float(a[2, 3])))", npy.toString()).redirectErrorStream(true).start();
                String printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                assertEquals(0, python.waitFor());
                assertEquals("(" + ny + ", " + nx + ") float64 " + cells[2 * nx + 3], printed);
            }
        }
    }

    @Test
    void steerAppliesReportsRefusalsAndNeedsARunningWriter() throws Exception {
        Path path = dir.resolve("steer.hgrid");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicBoolean taking = new AtomicBoolean(true);
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T").withKeep(true))) {
            writer.beginFrame();
            writer.publish(0, 0, "");
            // A stand-in solver: knows one parameter, alpha, and accepts 0 < alpha <= 10.
            Thread solver = Thread.ofPlatform().start(() -> {
                long step = 0;
                while (running.get()) {
                    try {
                        SteeringCommand command = taking.get() ? writer.takeCommand() : null;
                        if (command != null) {
                            boolean ok = command.code() != SteeringCode.SET
                                    || command.key().equals("alpha") && command.arg(0) > 0 && command.arg(0) <= 10;
                            writer.recordCommand(command, ++step, ok ? CommandOutcome.applied("done")
                                    : CommandOutcome.refused("alpha must be in (0, 10]"));
                        }
                        writer.heartbeat();
                        Thread.sleep(1);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            CommandRun applied = CommandRun.of("steer", path.toString(), "set", "alpha=2.5");
            assertEquals(0, applied.exitCode(), applied.toString());
            assertTrue(applied.out().startsWith("applied at step 1: done"), applied.out());

            CommandRun refused = CommandRun.of("steer", path.toString(), "set", "alpha=50");
            assertEquals(CommandFailureHandler.USAGE, refused.exitCode(), refused.toString());
            assertTrue(refused.err().contains("refused by the solver: alpha must be in (0, 10]"), refused.err());

            assertEquals(0, CommandRun.of("steer", path.toString(), "heat", "4,4,2,100").exitCode());
            CommandRun log = CommandRun.of("inspect", path.toString(), "--json");
            JsonNode commands = new ObjectMapper().readTree(log.out()).get("commands");
            assertEquals("heat 4.0,4.0,2.0,100.0", commands.get(0).get("command").asText());
            assertEquals("refused", commands.get(1).get("result").asText());

            // A solver busy with a long step takes commands late: the command expires, steer says it was
            // not applied, and the solver discards it when it next looks (issue 14 item 4, answered by expiry).
            taking.set(false);
            CommandRun late = CommandRun.of("steer", path.toString(), "resume", "--timeout", "200ms");
            assertEquals(CommandFailureHandler.RUNTIME, late.exitCode(), late.toString());
            assertTrue(late.err().startsWith("heatgrid steer: not applied within 200 ms (--timeout): "), late.err());
            assertTrue(late.err().contains("it has expired and the writer will discard it"), late.err());
            assertEquals(1, late.err().strip().lines().count(), late.err());
            taking.set(true);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            JsonNode newest;
            do {
                Thread.sleep(10);
                newest = new ObjectMapper().readTree(CommandRun.of("inspect", path.toString(), "--json").out())
                        .get("commands").get(0);
            } while (!newest.get("command").asText().equals("resume") && System.nanoTime() < deadline);
            assertEquals("resume", newest.get("command").asText(), "the expired command was logged");
            assertEquals("discarded", newest.get("result").asText(), "an expired command is never applied");
            running.set(false);
            solver.join();
        }
        CommandRun gone = CommandRun.of("steer", path.toString(), "pause");
        assertEquals(CommandFailureHandler.RUNTIME, gone.exitCode(), gone.toString());
        assertTrue(gone.err().contains("has no running writer"), gone.err());
    }

    @Test
    void cleanRemovesOnlyWhatNobodyHolds() throws Exception {
        Path leftover = dir.resolve("leftover.hgrid");
        try (JvmProcess writer = JvmProcess.start(PatternWriterMain.class, leftover.toString(), "8", "8", "2", "60")) {
            writer.awaitLine("READY", Duration.ofSeconds(30));
            writer.kill();
        }
        // A segment created under a path without the extension is still a segment: clean knows it by its magic.
        Path bare = dir.resolve("crashed-without-extension");
        try (JvmProcess writer = JvmProcess.start(PatternWriterMain.class, bare.toString(), "8", "8", "2", "60")) {
            writer.awaitLine("READY", Duration.ofSeconds(30));
            writer.kill();
        }
        Path notes = Files.writeString(dir.resolve("notes.txt"), "not a segment, never touched");
        Path held = dir.resolve("held.hgrid");
        try (SegmentWriter ignored = SegmentWriter.create(held, SegmentSpec.of(8, 8, "T"))) {
            CommandRun dry = CommandRun.of("clean", dir.toString(), "--dry-run");
            assertEquals(0, dry.exitCode(), dry.toString());
            assertTrue(dry.out().contains("would remove  " + leftover) && Files.exists(leftover), dry.out());
            CommandRun run = CommandRun.of("clean", dir.toString());
            assertTrue(run.out().contains("removed       " + leftover) && run.out().contains("in use        " + held),
                    run.out());
            assertTrue(run.out().contains("removed       " + bare), run.out());
            assertFalse(run.out().contains("notes.txt"), run.out());
            assertFalse(Files.exists(leftover));
            assertFalse(Files.exists(bare));
            assertTrue(Files.exists(held));
            assertTrue(Files.exists(notes));
        }
    }

    private static double[] readNpy(Path file, int nx, int ny) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals((byte) 0x93, bytes.get(0));
        assertEquals("NUMPY", new String(bytes.array(), 1, 5, StandardCharsets.US_ASCII));
        int headerLength = Short.toUnsignedInt(bytes.getShort(8));
        String header = new String(bytes.array(), 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'descr': '<f8'") && header.contains("'shape': (" + ny + ", " + nx + ")"), header);
        assertEquals(0, (10 + headerLength) % 64, "data not 64-byte aligned");
        double[] values = new double[nx * ny];
        bytes.position(10 + headerLength).asDoubleBuffer().get(values);
        return values;
    }

    private static boolean numpyAvailable() {
        try {
            return new ProcessBuilder("python3", "-c", "import numpy").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
