package dev.heatgrid.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.GatingConsumer;
import dev.heatgrid.segment.PatternWriterMain;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recording across a crash and restart of the run's writer: the writer JVM is SIGKILLed, the recorder
 * says so and waits, a new writer resumes the run ({@code run --resume} at the segment level), and the
 * recording goes on with no generation missing and ends when that writer exits.
 */
class RecorderRestartTest {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir(factory = ShmTempDir.class)
    Path shm;

    @TempDir
    Path dir;

    @Test
    void everyFrameAcrossAWriterCrashAndResumeLosesNothing() throws Exception {
        Hdf5Support.requireLibrary();
        Path segment = shm.resolve("restart.hgrid");
        Path h5 = dir.resolve("restart.h5");
        List<String> notes = new CopyOnWriteArrayList<>();
        AtomicLong recorded = new AtomicLong();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (JvmProcess first = JvmProcess.start(PatternWriterMain.class, segment.toString(), "32", "16", "2", "600",
                "keep")) {
            first.awaitLine("READY", START);
            Recorder recorder = new Recorder(segment, new Recorder.Settings(List.of(), 1, null, 1, 0, null, true,
                    GatingConsumer.DEFAULT_STALL_BOUND, false),
                    run -> new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), run, false), new Recorder.Events() {
                        @Override
                        public void note(String message) {
                            notes.add(message);
                        }

                        @Override
                        public void recorded(Recorder.Counts counts) {
                            recorded.set(counts.recorded());
                        }
                    });
            Future<Recorder.Result> result = pool.submit(() -> recorder.run(() -> false));
            awaitCount(recorded, 200);
            first.kill();
            long deadline = System.nanoTime() + START.toNanos();
            while (notes.stream().noneMatch(n -> n.contains("is gone without exiting"))) {
                assertTrue(System.nanoTime() < deadline, "the recorder never noticed the writer died: " + notes);
                Thread.sleep(20);
            }
            long before = recorded.get();
            try (JvmProcess second = JvmProcess.start(PatternWriterMain.class, segment.toString(), "32", "16", "2", "1",
                    "resume")) {
                second.awaitLine("RESUMED", START);
                assertEquals(0, second.waitFor(START), second.stderr());
            }
            Recorder.Result done = result.get(60, TimeUnit.SECONDS);
            assertEquals(Recorder.End.WRITER_EXITED, done.end(), notes.toString());
            assertEquals(0, done.counts().lost());
            assertTrue(done.counts().recorded() > before, "nothing recorded after the resume");
            assertTrue(notes.stream().anyMatch(n -> n.contains("continues the run")), notes.toString());
        } finally {
            pool.shutdownNow();
        }
        try (Hdf5Contents contents = new Hdf5Contents(h5, false)) {
            long first = contents.generations[0];
            for (int row = 0; row < contents.generations.length; row++) {
                assertEquals(first + row, contents.generations[row], "a generation is missing at row " + row);
                if (row % 53 == 0 || row == contents.generations.length - 1) {
                    assertEquals(-1, Pattern.mismatch(contents.frame("T", row), first + row, 0), "row " + row);
                }
            }
        }
    }

    private static void awaitCount(AtomicLong value, long at) throws InterruptedException {
        long deadline = System.nanoTime() + START.toNanos();
        while (value.get() < at) {
            assertTrue(System.nanoTime() < deadline, "only " + value.get() + " frames recorded");
            Thread.sleep(10);
        }
    }
}
