package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.GateStatus;
import dev.heatgrid.segment.GatingConsumer;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** heatgrid record, snapshot --out x.vti and what inspect says about the gate. */
class RecordCommandTest {
    @TempDir(factory = ShmTempDir.class)
    Path shm;

    @TempDir
    Path dir;

    private static void publish(SegmentWriter writer) throws IOException {
        SegmentWriter.BackFrame back = writer.beginFrame();
        back.fields().get(0).fill((byte) 0);
        writer.publish(back.generation(), back.generation() * 0.5, "alpha=1\n");
    }

    @Test
    void badOutputsAndConflictingOptionsAreUsageErrors() throws Exception {
        Path segment = shm.resolve("usage.hgrid");
        Files.writeString(dir.resolve("exists.pvd"), "keep me");
        String[][] cases = {
                {"--out", dir.resolve("run.txt").toString()},
                {"--out", dir.resolve("run.pvd").toString(), "--format", "hdf5"},
                {"--out", dir.resolve("run.pvd").toString(), "--out-dir", dir.toString()},
                {},
                {"--out-dir", dir.toString(), "--format", "hdf5"},
                {"--out", dir.resolve("run.pvd").toString(), "--every-frame", "--interval", "1s"},
                {"--out", dir.resolve("run.pvd").toString(), "--gate-timeout", "2s"},
                {"--out", dir.resolve("run.pvd").toString(), "--every", "0"},
                {"--out", dir.resolve("run.pvd").toString(), "--downsample", "0"},
                {"--out", dir.resolve("exists.pvd").toString()},
                {"--out", dir.resolve("no/such/dir/run.pvd").toString()},
        };
        for (String[] options : cases) {
            String[] args = new String[options.length + 2];
            args[0] = "record";
            args[1] = segment.toString();
            System.arraycopy(options, 0, args, 2, options.length);
            CommandRun run = CommandRun.of(args);
            assertEquals(2, run.exitCode(), String.join(" ", args) + "\n" + run);
            assertEquals(1, run.err().strip().lines().count(), run.toString());
            assertTrue(run.err().startsWith("heatgrid record: "), run.toString());
        }
        assertEquals("keep me", Files.readString(dir.resolve("exists.pvd")));
    }

    /** It used to print "wrote run.h5 (and run.xdmf3 ...): 0 frame(s) ... 0 x 0" and exit 0, with no file written. */
    @Test
    void aSegmentThatNeverAppearsRecordsNothingAndSaysSo() throws Exception {
        Path segment = shm.resolve("never.hgrid");
        for (String out : new String[] {"run.h5", "run.pvd"}) {
            CommandRun run = CommandRun.of("record", segment.toString(), "--out", dir.resolve(out).toString(),
                    "--duration", "300ms", "--quiet");
            assertEquals(1, run.exitCode(), run.toString());
            assertEquals("", run.out(), run.toString());
            assertTrue(run.err().contains("heatgrid record: nothing recorded: no segment appeared at " + segment
                    + " before --duration ran out; no file written"), run.toString());
        }
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    @Test
    void recordsEveryFrameOfARunIntoAVtkSeriesUntilTheWriterExits() throws Exception {
        Path segment = shm.resolve("series.hgrid");
        Path pvd = dir.resolve("run.pvd");
        SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(6, 4, "T", "v"));
        boolean exited = false;
        try {
            CompletableFuture<CommandRun> record = CompletableFuture.supplyAsync(() -> CommandRun.of("record",
                    segment.toString(), "--out", pvd.toString(), "--every-frame", "--fields", "v", "--quiet"));
            try (FrameReader reader = FrameReader.open(segment)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (GateStatus.of(reader).members().isEmpty()) {
                    assertTrue(System.nanoTime() < deadline, "record never joined the gate");
                    Thread.sleep(5);
                }
            }
            for (int i = 0; i < 40; i++) {
                publish(writer);
            }
            writer.close(); // a clean exit ends the recording
            exited = true;
            CommandRun run = record.get(60, TimeUnit.SECONDS);
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().contains("40 frame(s) (generations 1..40), field(s) v, 6 x 4; 0 skipped, 0 lost;"
                    + " the solver exited"), run.out());
        } finally {
            if (!exited) {
                writer.close();
            }
        }
        String collection = Files.readString(pvd);
        assertEquals(40, collection.lines().filter(l -> l.contains("<DataSet ")).count(), collection);
        assertTrue(Files.exists(dir.resolve("run").resolve("run_0000000040.vti")));
    }

    @Test
    void inspectSaysTheWriterWaitsForAGatingConsumer() throws Exception {
        Path segment = shm.resolve("gated.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(8, 8, "T").withBuffers(2));
             FrameReader reader = FrameReader.open(segment);
             GatingConsumer gate = GatingConsumer.join(reader, Duration.ofSeconds(30))) {
            publish(writer);
            publish(writer);
            CompletableFuture<Void> third = CompletableFuture.runAsync(() -> {
                try {
                    publish(writer); // waits: generation 1 is not finished
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (GateStatus.of(reader).waitingGeneration() == 0) {
                assertTrue(System.nanoTime() < deadline, "the writer never waited");
                Thread.sleep(5);
            }
            CommandRun json = CommandRun.of("inspect", segment.toString(), "--json");
            assertEquals(0, json.exitCode(), json.toString());
            JsonNode node = new ObjectMapper().readTree(json.out()).get("gate");
            assertTrue(node.get("waiting").asBoolean(), json.out());
            assertEquals(3, node.get("waitingGeneration").asLong());
            assertEquals(ProcessHandle.current().pid(), node.get("waitingForPid").asLong());
            assertEquals(1, node.get("consumers").size());
            assertEquals("gating", node.get("consumers").get(0).get("state").asText());
            assertEquals(0, node.get("consumers").get(0).get("cursor").asLong());
            CommandRun human = CommandRun.of("inspect", segment.toString());
            assertTrue(human.out().contains("WAITING to begin generation 3 for consumer pid "
                    + ProcessHandle.current().pid()), human.out());
            gate.finished(1);
            third.get(30, TimeUnit.SECONDS);
            assertFalse(GateStatus.of(reader).waitingGeneration() != 0);
        }
    }

    @Test
    void snapshotWritesAVtiWithEveryField() throws Exception {
        Path segment = shm.resolve("snap.hgrid");
        Path vti = dir.resolve("frame.vti");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(5, 3, "T", "v").withSpacing(0.5, 2, 0))) {
            publish(writer);
            CommandRun run = CommandRun.of("snapshot", segment.toString(), "--out", vti.toString());
            assertEquals(0, run.exitCode(), run.toString());
            assertTrue(run.out().contains("field(s) T,v of generation 1"), run.out());
        }
        String head = new String(Files.readAllBytes(vti), StandardCharsets.ISO_8859_1);
        assertTrue(head.startsWith("<?xml version=\"1.0\"?>\n<VTKFile type=\"ImageData\" version=\"1.0\""
                + " byte_order=\"LittleEndian\" header_type=\"UInt64\">"), head);
        assertTrue(head.contains("WholeExtent=\"0 5 0 3 0 0\" Origin=\"0.0 0.0 0\" Spacing=\"0.5 2.0 1\""), head);
        assertTrue(head.contains("Name=\"T\"") && head.contains("Name=\"v\""), head);
        // XML, then per field an 8-byte count and 15 doubles, then the closing tags
        assertTrue(Files.size(vti) > 2 * (8 + 15 * 8));
    }
}
