package dev.heatgrid.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.CountedWriterMain;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code record --every-frame} across real JVMs: a writer JVM publishing pattern frames (cell i of
 * generation g holds g * 2^20 + i) as fast as the gate lets it, and a deliberately slow recorder JVM.
 */
class RecorderAcrossProcessesTest {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir(factory = ShmTempDir.class)
    Path shm;

    @TempDir
    Path dir;

    @BeforeEach
    void needsHdf5() {
        Hdf5Support.requireLibrary();
    }

    @Test
    void aSlowRecorderLosesNoneOfTenThousandFramesAndTheWriterFallsToItsPace() throws Exception {
        Path segment = shm.resolve("slow.hgrid");
        Path h5 = dir.resolve("slow.h5");
        try (JvmProcess writer = JvmProcess.start(CountedWriterMain.class, segment.toString(), "32", "32", "2", "10000")) {
            writer.awaitLine("READY", START);
            try (JvmProcess recorder = JvmProcess.start(RecorderMain.class, segment.toString(), h5.toString(), "200",
                    "30000")) {
                awaitJoined(segment);
                writer.send("go");
                assertEquals(0, writer.waitFor(Duration.ofMinutes(5)), writer.stderr());
                assertEquals(0, recorder.waitFor(Duration.ofMinutes(2)), recorder.stderr());
                Map<String, String> result = values(recorder.awaitLine("RESULT", START));
                assertEquals("10000", result.get("recorded"), recorder.stdout());
                assertEquals("0", result.get("lost"));
                assertEquals("WRITER_EXITED", result.get("end"));
                Map<String, String> done = values(writer.awaitLine("DONE", START));
                double writerRate = 10000 / (Long.parseLong(done.get("nanos")) / 1e9);
                double recorderRate = 10000 / (Long.parseLong(result.get("nanos")) / 1e9);
                System.out.printf("slow recorder: writer %.0f frames/s, recorder %.0f frames/s%n", writerRate,
                        recorderRate);
            }
        }
        try (Hdf5Contents contents = new Hdf5Contents(h5, false)) {
            assertEquals(10000, contents.generations.length);
            for (int row = 0; row < 10000; row++) {
                assertEquals(row + 1, contents.generations[row], "row " + row);
                if (row % 97 == 0 || row > 9990) {
                    assertEquals(-1, Pattern.mismatch(contents.frame("T", row), row + 1, 0), "row " + row);
                }
            }
        }
    }

    @Test
    void aLongRecordingNeedsTheMemoryOfOneFrameNotOfTheRun() throws Exception {
        Path segment = shm.resolve("long.hgrid");
        Path h5 = dir.resolve("long.h5");
        int frames = 1000;
        // 1000 frames of 128^2 are 125 MiB of cells; the recorder's heap is 24 MiB, so it cannot keep them
        // (nor a tenth of them), and its resident size must not grow with the frames the native library writes.
        try (JvmProcess writer = JvmProcess.start(CountedWriterMain.class, segment.toString(), "128", "128", "2",
                Integer.toString(frames))) {
            writer.awaitLine("READY", START);
            try (JvmProcess recorder = JvmProcess.start(List.of("-Xmx24m"), RecorderMain.class, segment.toString(),
                    h5.toString(), "0", "30000")) {
                awaitJoined(segment);
                writer.send("go");
                recorder.awaitLine("AT 200", START);
                long early = residentKiB(recorder.pid());
                recorder.awaitLine("AT 900", START);
                long late = residentKiB(recorder.pid());
                assertEquals(0, writer.waitFor(Duration.ofMinutes(2)), writer.stderr());
                assertEquals(0, recorder.waitFor(Duration.ofMinutes(2)), recorder.stderr());
                assertEquals(Integer.toString(frames), values(recorder.awaitLine("RESULT", START)).get("recorded"));
                System.out.printf("recorder resident size: %d KiB after 200 frames, %d KiB after 900 (frame: 128 KiB)%n",
                        early, late);
                assertTrue(late - early < 16 * 1024, "the recorder grew by " + (late - early) + " KiB over 700 frames");
            }
        }
        try (Hdf5Contents contents = new Hdf5Contents(h5, false)) {
            assertEquals(frames, contents.generations.length);
            assertEquals(-1, Pattern.mismatch(contents.frame("T", frames - 1), frames, 0));
        }
    }

    /** VmRSS of a live process, from /proc. */
    private static long residentKiB(long pid) throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new AssertionError("no VmRSS for pid " + pid);
    }

    @Test
    void aSigkilledRecorderLeavesAFileWithEveryCompletedFrameAndNeverWedgesTheWriter() throws Exception {
        SplittableRandom random = new SplittableRandom(1726);
        for (int trial = 0; trial < 3; trial++) {
            Path segment = shm.resolve("killed-" + trial + ".hgrid");
            Path h5 = dir.resolve("killed-" + trial + ".h5");
            try (JvmProcess writer = JvmProcess.start(CountedWriterMain.class, segment.toString(), "48", "32", "2",
                    "20000")) {
                writer.awaitLine("READY", START);
                JvmProcess recorder = JvmProcess.start(RecorderMain.class, segment.toString(), h5.toString(), "1000",
                        "30000");
                awaitJoined(segment);
                writer.send("go");
                recorder.awaitLine("AT 100", START);
                Thread.sleep(random.nextInt(0, 200));
                recorder.kill();
                recorder.close();
                // Paced by the recorder the writer would need 20 s; freed of it, a fraction of one.
                assertEquals(0, writer.waitFor(Duration.ofSeconds(15)), "trial " + trial + ": " + writer.stderr());
                assertTrue(writer.stderr().contains("its process has gone"), writer.stderr());
            }
            try (Hdf5Contents contents = new Hdf5Contents(h5, true)) {
                int frames = contents.generations.length;
                assertTrue(frames >= 100, "trial " + trial + ": only " + frames + " frames survived");
                for (int row = 0; row < frames; row++) {
                    assertEquals(row + 1, contents.generations[row], "trial " + trial + " row " + row);
                    assertEquals(-1, Pattern.mismatch(contents.frame("T", row), row + 1, 0),
                            "trial " + trial + " row " + row);
                }
            }
        }
    }

    @Test
    void aSigstoppedRecorderIsDroppedAfterItsGateTimeoutAndSaysWhatItLost() throws Exception {
        Path segment = shm.resolve("stopped.hgrid");
        Path h5 = dir.resolve("stopped.h5");
        try (JvmProcess writer = JvmProcess.start(CountedWriterMain.class, segment.toString(), "32", "32", "3", "20000")) {
            writer.awaitLine("READY", START);
            try (JvmProcess recorder = JvmProcess.start(RecorderMain.class, segment.toString(), h5.toString(), "1000",
                    "1000")) {
                awaitJoined(segment);
                writer.send("go");
                recorder.awaitLine("AT 100", START);
                recorder.signal("STOP");
                try {
                    assertEquals(0, writer.waitFor(Duration.ofSeconds(15)), writer.stderr());
                } finally {
                    recorder.signal("CONT");
                }
                assertTrue(writer.stderr().contains("within its gate timeout (1000 ms;"), writer.stderr());
                assertEquals(0, recorder.waitFor(Duration.ofMinutes(1)), recorder.stderr());
                String note = recorder.awaitLine("NOTE the writer stopped waiting", START);
                assertTrue(note.contains("joined again at generation"), note);
                Map<String, String> result = values(recorder.awaitLine("RESULT", START));
                assertTrue(Long.parseLong(result.get("lost")) > 0, recorder.stdout());
            }
        }
        try (Hdf5Contents contents = new Hdf5Contents(h5, false)) {
            long previous = 0;
            for (int row = 0; row < contents.generations.length; row++) {
                long g = contents.generations[row];
                assertTrue(g > previous);
                previous = g;
                assertEquals(-1, Pattern.mismatch(contents.frame("T", row), g, 0), "row " + row);
            }
            assertEquals(20000, previous, "the run's last frame is recorded");
        }
    }

    /** Waits until a consumer has joined the segment's gate (the recorder JVM attached). */
    private static void awaitJoined(Path segment) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        try (var reader = dev.heatgrid.segment.FrameReader.open(segment)) {
            while (dev.heatgrid.segment.GateStatus.of(reader).members().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the recorder never joined the gate");
                Thread.sleep(10);
            }
        }
    }

    private static Map<String, String> values(String line) {
        var map = new HashMap<String, String>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                map.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return map;
    }
}
