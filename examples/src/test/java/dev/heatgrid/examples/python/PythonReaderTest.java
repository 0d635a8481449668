package dev.heatgrid.examples.python;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.examples.Frames;
import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameCorruptedException;
import dev.heatgrid.segment.FrameDescriptor;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentDescriptor;
import dev.heatgrid.segment.SegmentFormatException;
import dev.heatgrid.segment.SegmentLayout;
import dev.heatgrid.segment.WriterState;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.KernelCatalog;
import dev.heatgrid.solver.RunControl;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.StopReason;
import dev.heatgrid.solver.ProgressListener;
import dev.heatgrid.solver.spi.Boundary;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/python/heatgrid_reader.py, which implements docs/FORMAT.md with the Python standard
 * library, reads what the Java solver wrote and agrees with the Java reader to the last bit; it
 * follows the protocol against a live writer and refuses damaged files. Skipped without python3.
 */
class PythonReaderTest {
    private static final Path SCRIPT = Path.of(System.getProperty("heatgrid.examples.dir", "."), "python",
            "heatgrid_reader.py");
    /** Hides numpy from the script, so its pure-Python checksum runs. */
    private static final String WITHOUT_NUMPY = "import sys, runpy; sys.modules['numpy'] = None; sys.argv = sys.argv[1:];"
            + " runpy.run_path(sys.argv[0], run_name='__main__')";

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private record Result(int code, String out, String err) {
    }

    @BeforeAll
    static void needsPython() {
        boolean found;
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            found = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            found = false;
        }
        Assumptions.assumeTrue(found, "python3 is not on the PATH: the Python reader's tests are skipped");
    }

    @Test
    void agreesWithTheJavaReaderWithAndWithoutNumpy() throws Exception {
        Path segment = keptGrayScott("agree.hgrid");
        Frame frame = Frames.latest(segment);
        for (boolean numpy : new boolean[]{true, false}) {
            Result run = python(numpy, segment.toString(), "--json");
            assertEquals(0, run.code(), run.toString());
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertEquals(numpy ? json.get("checksum_code").asText() : "python", json.get("checksum_code").asText());
            assertEquals(frame.header().generation(), json.get("generation").asLong());
            assertEquals(frame.header().step(), json.get("step").asLong());
            assertEquals(frame.header().time(), json.get("time").asDouble());
            assertEquals("gray-scott", json.get("kernel").asText());
            assertEquals("periodic", json.get("boundary").asText());
            assertEquals("[\"u\",\"v\"]", json.get("fields").toString());
            assertEquals("exited", json.get("writer").get("state").asText());
            assertEquals(frame.header().params(), json.get("params").asText());
            for (int f = 0; f < 2; f++) {
                FieldStats expected = frame.header().stats().get(f);
                JsonNode stats = json.get("stats").get(f);
                assertEquals(expected.min(), stats.get("min").asDouble());
                assertEquals(expected.max(), stats.get("max").asDouble());
                assertEquals(expected.mean(), stats.get("mean").asDouble());
                assertEquals(expected.total(), stats.get("total").asDouble());
                assertEquals(String.format("%016x", expected.checksum()), stats.get("checksum").asText());
            }
        }
        Result text = python(true, segment.toString(), "--field", "v");
        assertEquals(0, text.code(), text.toString());
        assertTrue(text.out().contains("generation " + frame.header().generation() + " (step " + frame.header().step())
                && text.out().contains("stats v") && !text.out().contains("stats u"), text.out());
    }

    @Test
    void readsConsistentFramesFromALiveWriter() throws Exception {
        Path segment = dir.resolve("live.hgrid");
        SolverConfig config = SolverConfig.builder().size(new GridSize(256, 256)).initial(InitialCondition.parse("random:2"))
                .threads(1).build();
        try (Solver solver = Solver.create(segment, config)) {
            var control = new RunControl();
            var failure = new CompletableFuture<Void>();
            Thread writer = Thread.ofPlatform().name("writer").start(() -> {
                try {
                    solver.run(StopCondition.untilStopped(), control, ProgressListener.NONE);
                    failure.complete(null);
                } catch (IOException | RuntimeException e) {
                    failure.completeExceptionally(e);
                }
            });
            try {
                var generations = new ArrayList<Long>();
                for (int read = 0; read < 3; read++) {
                    Result run = python(read % 2 == 0, segment.toString(), "--json");
                    assertEquals(0, run.code(), run.toString());
                    JsonNode json = new ObjectMapper().readTree(run.out());
                    assertEquals("verified", json.get("checksums").asText());
                    assertEquals(json.get("generation").asLong() - 1, json.get("step").asLong());
                    generations.add(json.get("generation").asLong());
                }
                System.out.println("python reader against a running 256x256 ftcs writer: generations " + generations);
                assertTrue(generations.getLast() > generations.getFirst(), "the writer kept publishing: " + generations);
            } finally {
                control.requestStop(StopReason.REQUESTED);
                writer.join(TimeUnit.SECONDS.toMillis(30));
                failure.get(1, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void refusesADamagedFrameAndAnotherMajorVersion() throws Exception {
        Path segment = keptGrayScott("damaged.hgrid");
        Path copy = dir.resolve("copy.hgrid");
        long cellOffset;
        try (FrameReader reader = FrameReader.open(segment, false)) {
            SegmentLayout layout = reader.layout();
            cellOffset = layout.fieldOffset(layout.bufferOf(reader.generation()), 1) + 8 * 100;
        }
        Files.copy(segment, copy);
        flipByte(copy, cellOffset);
        Result corrupt = python(true, copy.toString());
        assertEquals(1, corrupt.code(), corrupt.toString());
        assertTrue(corrupt.err().contains("field 'v': checksum"), corrupt.err());

        Files.copy(segment, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        flipByte(copy, 0x008);
        Result version = python(true, copy.toString());
        assertEquals(1, version.code(), version.toString());
        assertTrue(version.err().contains("major version: format version"), version.err());
    }

    /**
     * FORMAT.md, as both readers follow it: creation parameters must be key=value lines; a frame's
     * parameter length is authoritative (below 2048, zero after the text, no NUL inside); an exited
     * writer is exited even without a recorded pid.
     */
    @Test
    void bothReadersRefuseTheSameDamageAndAgreeOnAnExitedWriterWithoutAPid() throws Exception {
        Path segment = keptGrayScott("strict.hgrid");
        long frameHeader;
        try (FrameReader reader = FrameReader.open(segment, false)) {
            frameHeader = reader.layout().bufferOffset(reader.layout().bufferOf(reader.generation()));
        }
        Path copy = dir.resolve("strict-copy.hgrid");

        Files.copy(segment, copy);
        write(copy, SegmentDescriptor.PARAMS_OFFSET, "F=0.04\nk\n".getBytes(StandardCharsets.UTF_8));
        Result lines = python(true, copy.toString());
        assertEquals(1, lines.code(), lines.toString());
        assertTrue(lines.err().contains("parameters: parameter line 2 ('k') is not key=value"), lines.err());
        SegmentFormatException refused = assertThrows(SegmentFormatException.class, () -> FrameReader.open(copy, false));
        assertTrue(refused.getMessage().contains("parameter line 2 ('k') is not key=value"), refused.getMessage());

        for (var damage : List.of(
                new byte[][] {le32(2048), new byte[0]},
                new byte[][] {le32(4), "a\0=1".getBytes(StandardCharsets.UTF_8)})) {
            Files.copy(segment, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            write(copy, frameHeader + FrameDescriptor.PARAMS_LENGTH, damage[0]);
            write(copy, frameHeader + FrameDescriptor.PARAMS, java.util.Arrays.copyOf(damage[1], 2048));
            Result corrupt = python(true, copy.toString());
            assertEquals(1, corrupt.code(), corrupt.toString());
            assertTrue(corrupt.err().contains("corrupt frame"), corrupt.err());
            try (FrameReader reader = FrameReader.open(copy, false)) {
                assertThrows(FrameCorruptedException.class, () -> reader.latest(Frame.shapedFor(reader.layout())));
            }
        }

        Files.copy(segment, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        write(copy, SegmentDescriptor.WRITER_PID_OFFSET, new byte[8]);
        Result exited = python(true, copy.toString(), "--json");
        assertEquals(0, exited.code(), exited.toString());
        JsonNode writer = new ObjectMapper().readTree(exited.out()).get("writer");
        assertEquals(0, writer.get("pid").asLong());
        assertEquals("exited", writer.get("state").asText());
        try (FrameReader reader = FrameReader.open(copy, false)) {
            assertEquals(WriterState.EXITED, reader.writer().state());
        }
    }

    private static byte[] le32(int value) {
        return ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(value).array();
    }

    private static void write(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    private Path keptGrayScott(String name) throws IOException {
        Path segment = dir.resolve(name);
        SolverConfig config = SolverConfig.builder().catalog(KernelCatalog.installed()).kernel("gray-scott")
                .size(new GridSize(48, 40)).boundary(Boundary.parse("periodic")).threads(1).keep(true).build();
        try (Solver solver = Solver.create(segment, config)) {
            solver.run(StopCondition.steps(200));
        }
        return segment;
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            channel.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x40)).rewind();
            channel.write(b, offset);
        }
    }

    private Result python(boolean numpy, String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("python3"));
        if (!numpy) {
            command.addAll(List.of("-c", WITHOUT_NUMPY));
        }
        command.add(SCRIPT.toString());
        command.addAll(List.of(args));
        // Output goes to files: two pipes read one after the other could fill up and stall the child.
        Path out = Files.createTempFile(dir, "python-", ".out");
        Path err = Files.createTempFile(dir, "python-", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("python3 did not finish within 60 s: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
