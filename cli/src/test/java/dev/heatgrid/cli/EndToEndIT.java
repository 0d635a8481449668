package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged command, as separate processes on one segment, the way users run it. */
class EndToEndIT {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void runViewInspectSnapshotSteerAndResume() throws Exception {
        Path segment = dir.resolve("plate.hgrid");
        Process run = start("run", segment.toString(), "--size", "96x64", "--init", "sine:1,1", "--keep",
                "--threads", "1", "--publish-every", "5");
        try {
            runViewInspectSnapshotSteerAndResume(segment, run);
        } finally {
            run.destroyForcibly(); // a failed assertion must not leave the solver running
        }
    }

    private void runViewInspectSnapshotSteerAndResume(Path segment, Process run) throws Exception {
        PackagedCommand.awaitFile(segment, run);

        // view --out in its own process, while the solver runs
        Path png = dir.resolve("live.png");
        PackagedCommand.Result view = exec("view", segment.toString(), "--out", png.toString(), "--image-size", "800x600");
        assertEquals(0, view.code(), view.toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertTrue(view.out().contains("solver running"), view.out());

        PackagedCommand.Result stop = exec("steer", segment.toString(), "stop");
        assertEquals(0, stop.code(), stop.toString());
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run did not stop when steered");
        String runOut = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, run.exitValue(), runOut);
        assertTrue(runOut.contains("steered after"), runOut);

        // inspect --json agrees with what the solver wrote
        PackagedCommand.Result inspect = exec("inspect", segment.toString(), "--json", "--verify");
        assertEquals(0, inspect.code(), inspect.toString());
        JsonNode json = new ObjectMapper().readTree(inspect.out());
        long step;
        long generation;
        try (FrameReader reader = FrameReader.open(segment)) {
            Frame frame = Frame.shapedFor(reader.layout());
            generation = reader.latest(frame);
            step = frame.header().step();
            assertEquals(generation, json.get("generation").asLong());
            assertEquals(step, json.get("step").asLong());
            assertEquals(frame.header().time(), json.get("time").asDouble());
            assertEquals(96, json.get("nx").asInt());
            assertEquals(64, json.get("ny").asInt());
            assertEquals("[\"T\"]", json.get("fields").toString());
            assertEquals("ftcs", json.get("kernel").asText());
            assertEquals("exited", json.get("writer").get("state").asText());
            // A STOP publishes the steps computed since the last publication, so any step may be last.
            assertTrue(step > 0, "no step was published: " + step);

            // snapshot --out x.npy holds exactly that frame
            Path npy = dir.resolve("frame.npy");
            PackagedCommand.Result snapshot = exec("snapshot", segment.toString(), "--out", npy.toString());
            assertEquals(0, snapshot.code(), snapshot.toString());
            assertArrayEquals(frame.field(0), readNpy(npy));
        }

        // resume continues from that step: --steps means more steps
        PackagedCommand.Result resume = exec("run", segment.toString(), "--resume", "--steps", "50", "--quiet");
        assertEquals(0, resume.code(), resume.toString());
        assertTrue(resume.out().contains("steps done after 50 steps: step " + (step + 50)), resume.out());
        PackagedCommand.Result disagree = exec("run", segment.toString(), "--resume", "--size", "32x32", "--steps", "1");
        assertEquals(2, disagree.code(), disagree.toString());
        assertTrue(disagree.err().contains("32x32") || disagree.err().contains("32 x 32"), disagree.toString());
    }

    @Test
    void aSegmentNotKeptIsGoneOnceItsSteeredRunAndTheSteererHaveLeft() throws Exception {
        Path segment = dir.resolve("transient.hgrid");
        Process run = start("run", segment.toString(), "--size", "64x64", "--threads", "1", "--quiet");
        PackagedCommand.awaitFile(segment, run);
        PackagedCommand.Result stop = exec("steer", segment.toString(), "stop");
        assertEquals(0, stop.code(), stop.toString());
        assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run did not stop when steered");
        assertEquals(0, run.exitValue());
        assertFalse(Files.exists(segment), "whichever left last should have removed the unkept segment");
    }

    @Test
    void ctrlCFinishesTheStepLeavesTheFrameIntactAndExits130() throws Exception {
        Path segment = dir.resolve("sigint.hgrid");
        Process run = start("run", segment.toString(), "--size", "128x128", "--keep", "--threads", "1");
        PackagedCommand.awaitFile(segment, run);
        Thread.sleep(300);
        new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS), "run ignored SIGINT");
        assertEquals(130, run.exitValue(), new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        PackagedCommand.Result verify = exec("inspect", segment.toString(), "--verify", "--json");
        assertEquals(0, verify.code(), verify.toString());
        assertTrue(new ObjectMapper().readTree(verify.out()).get("verify").get("ok").asBoolean(), verify.out());
    }

    @Test
    void ctrlCStopsARecordingWithItsFileComplete() throws Exception {
        Path segment = dir.resolve("recorded.hgrid");
        Path pvd = dir.resolve("recorded.pvd");
        Process run = start("run", segment.toString(), "--size", "64x64", "--threads", "1", "--quiet");
        try {
            PackagedCommand.awaitFile(segment, run);
            Process record = start("record", segment.toString(), "--out", pvd.toString(), "--every", "50", "--quiet");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(pvd) || Files.readString(pvd).split("<DataSet ", -1).length < 3) {
                assertTrue(System.nanoTime() < deadline && record.isAlive(), "the recorder wrote no two frames");
                Thread.sleep(20);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(record.pid())).start().waitFor();
            assertTrue(record.waitFor(30, TimeUnit.SECONDS), "record ignored SIGINT");
            assertEquals(130, record.exitValue());
            String collection = Files.readString(pvd);
            // The summary comes only from the recorder's own stop (the JVM's default SIGINT exit is 130 too),
            // and counts exactly the frames the collection lists.
            String summary = new String(record.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            var counted = java.util.regex.Pattern.compile("wrote .*: (\\d+) frame\\(s\\).*; stopped").matcher(summary);
            assertTrue(counted.find(), summary);
            assertEquals(collection.split("<DataSet ", -1).length - 1, Integer.parseInt(counted.group(1)), summary);
            assertTrue(collection.strip().endsWith("</VTKFile>"), collection); // a whole document, not cut short
            for (String entry : collection.split("file=\"")) {
                if (entry.startsWith("<?xml")) {
                    continue;
                }
                Path vti = pvd.resolveSibling(entry.substring(0, entry.indexOf('"')));
                assertTrue(Files.size(vti) > 64 * 64 * 8, "listed frame " + vti + " is not all there");
            }
            assertTrue(run.isAlive(), "stopping the recorder must not stop the run");
        } finally {
            run.destroy();
            run.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void headlessDemoWritesItsPictureAndEndsByItself() throws Exception {
        Path png = dir.resolve("demo.png");
        PackagedCommand.Result demo = exec("demo", "--size", "64x48", "--steps", "400", "--out", png.toString(),
                "--out-dir", dir.resolve("frames").toString(), "--headless", "--buffers", "4");
        assertEquals(0, demo.code(), demo.toString());
        assertTrue(Files.size(png) > 1000, demo.toString());
        // Progress (the children's lines) on stderr, the result on stdout.
        assertTrue(demo.err().contains("(64 x 48, 400 steps, 4 buffers)"), demo.err());
        assertTrue(demo.err().contains("[solver] steps done after 400 steps"), demo.err());
        assertFalse(demo.err().contains("more buffers"), demo.err());
        assertTrue(demo.out().startsWith("demo: wrote " + png), demo.out());
    }

    private static Process start(String... args) throws IOException {
        return new ProcessBuilder(PackagedCommand.command(List.of(args))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    private static PackagedCommand.Result exec(String... args) throws IOException, InterruptedException {
        return PackagedCommand.exec(Duration.ofMinutes(2), List.of(args));
    }

    private static double[] readNpy(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Short.toUnsignedInt(bytes.getShort(8));
        bytes.position(10 + headerLength);
        double[] values = new double[bytes.remaining() / 8];
        bytes.asDoubleBuffer().get(values);
        return values;
    }
}
