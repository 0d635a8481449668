package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.record.Hdf5Contents;
import dev.heatgrid.record.Hdf5Support;
import dev.heatgrid.record.Pattern;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.GateStatus;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code heatgrid record --every-frame} in a JVM of its own, stopped by Ctrl-C and then SIGTERM (again
 * and again, as an impatient user or a service manager does) while it waits: for a writer that
 * publishes nothing (paused), and while the writer waits for it at the gate. It must end within a
 * bound with exit 130 and its summary, the file closed with every frame it completed, and its gate
 * slot free, so the writer is never held for the gate timeout (60 s here).
 */
class RecordSignalsTest {
    private static final List<String> JVM = List.of("--add-modules", "jdk.incubator.vector");
    private static final Duration START = Duration.ofSeconds(60);
    /** The recorder looks at its stop flag at least every 100 ms; closing a small file takes milliseconds. */
    private static final long STOP_BOUND_MILLIS = 5_000;

    @TempDir(factory = ShmTempDir.class)
    Path shm;

    @TempDir
    Path dir;

    @BeforeEach
    void needsHdf5() {
        Hdf5Support.requireLibrary();
    }

    @Test
    void aRecorderWaitingForAPausedWriterStopsOnCtrlCAndTermAndFreesTheWriter() throws Exception {
        Path segment = shm.resolve("paused.hgrid");
        Path h5 = dir.resolve("paused.h5");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(16, 8, "T").withBuffers(2));
             FrameReader probe = FrameReader.open(segment);
             JvmProcess recorder = startRecorder(segment, h5)) {
            awaitCursor(probe, recorder, 0);
            for (int i = 0; i < 5; i++) {
                Pattern.publish(writer);
            }
            awaitCursor(probe, recorder, 5);
            Thread.sleep(300); // the writer stays paused: the recorder waits for generation 6

            Matcher summary = stop(recorder);
            assertEquals("5", summary.group(1), recorder.stdout());
            assertEquals("1..5", summary.group(2), recorder.stdout());
            assertTrue(GateStatus.of(probe).members().isEmpty(), "the recorder left its slot: " + GateStatus.of(probe));
            // With the slot held, each of these would wait the whole 60 s gate timeout.
            CompletableFuture<Void> more = CompletableFuture.runAsync(() -> publish(writer, 10));
            more.get(10, TimeUnit.SECONDS);
        }
        assertEveryFrame(h5, 5);
    }

    @Test
    void aRecorderThatPacesTheWriterStopsOnCtrlCAndTermAndLetsItRunOn() throws Exception {
        Path segment = shm.resolve("paced.hgrid");
        Path h5 = dir.resolve("paced.h5");
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong published = new AtomicLong();
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(64, 64, "T").withBuffers(2));
             FrameReader probe = FrameReader.open(segment);
             JvmProcess recorder = startRecorder(segment, h5)) {
            awaitCursor(probe, recorder, 0);
            // As fast as the gate lets it: the writer waits for the recorder at nearly every frame.
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                while (!done.get()) {
                    publish(writer, 1);
                    published.incrementAndGet();
                }
            });
            try {
                awaitCursor(probe, recorder, 50);
                Matcher summary = stop(recorder);
                long frames = Long.parseLong(summary.group(1));
                assertTrue(frames >= 50, recorder.stdout());
                assertEquals("1.." + frames, summary.group(2), recorder.stdout());
                assertTrue(GateStatus.of(probe).members().isEmpty(), "the recorder left its slot: "
                        + GateStatus.of(probe));
                long before = published.get();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (published.get() < before + 200) {
                    assertTrue(System.nanoTime() < deadline, "the writer is still held after the recorder left: "
                            + (published.get() - before) + " frames in 10 s");
                    assertTrue(!writing.isDone(), "the writer failed");
                    Thread.sleep(5);
                }
                done.set(true);
                writing.get(30, TimeUnit.SECONDS);
                assertEveryFrame(h5, frames);
            } finally {
                done.set(true);
            }
        }
    }

    private JvmProcess startRecorder(Path segment, Path h5) throws IOException {
        return JvmProcess.start(JVM, Heatgrid.class, "record", segment.toString(), "--out", h5.toString(),
                "--every-frame", "--gate-timeout", "60s", "--quiet");
    }

    /**
     * Ctrl-C, then, once the recorder has said it is finishing, SIGTERM every 5 ms until it exits; returns its
     * summary line (frames, generations). Fails if it takes longer than the bound, exits otherwise than with
     * 130, or says nothing. (The JVM runs each signal's handler in a thread of its own, so a SIGTERM sent
     * 5 ms after the SIGINT may be handled first: the wait for the recorder's note keeps the order.)
     */
    private static Matcher stop(JvmProcess recorder) throws Exception {
        long start = System.nanoTime();
        long bound = TimeUnit.MILLISECONDS.toNanos(STOP_BOUND_MILLIS);
        recorder.signal("INT");
        while (recorder.isAlive() && !recorder.stderr().contains("finishing the file") && System.nanoTime() - start < bound) {
            Thread.sleep(1);
        }
        while (recorder.isAlive() && System.nanoTime() - start < bound) {
            Thread.sleep(5);
            try {
                recorder.signal("TERM");
            } catch (IOException gone) {
                break; // it exited between the look and the signal
            }
        }
        int code = recorder.waitFor(Duration.ofSeconds(30));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String output = "stdout:\n" + recorder.stdout() + "\nstderr:\n" + recorder.stderr();
        assertTrue(millis < STOP_BOUND_MILLIS, "the recorder took " + millis + " ms to stop\n" + output);
        assertEquals(130, code, output);
        Matcher summary = java.util.regex.Pattern.compile("wrote .*: (\\d+) frame\\(s\\) \\(generations (\\d+\\.\\.\\d+)\\)"
                + ".*; 0 skipped, 0 lost; stopped").matcher(recorder.stdout());
        assertTrue(summary.find(), output);
        System.out.printf("record --every-frame stopped %d ms after Ctrl-C%n", millis);
        return summary;
    }

    /** Until the recorder has joined the gate and finished generation {@code cursor}. */
    private static void awaitCursor(FrameReader probe, JvmProcess recorder, long cursor) throws Exception {
        long deadline = System.nanoTime() + START.toNanos();
        while (true) {
            List<GateStatus.Member> members = GateStatus.of(probe).members();
            if (!members.isEmpty() && members.getFirst().cursor() >= cursor) {
                return;
            }
            assertTrue(recorder.isAlive(), "the recorder exited: " + recorder.stdout() + recorder.stderr());
            assertTrue(System.nanoTime() < deadline, "the recorder never finished generation " + cursor + ": "
                    + members + "\n" + recorder.stderr());
            Thread.sleep(5);
        }
    }

    private static void publish(SegmentWriter writer, int frames) {
        try {
            for (int i = 0; i < frames; i++) {
                Pattern.publish(writer);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The file opens without SWMR (it was closed) and holds generations 1..frames, each as published. */
    private static void assertEveryFrame(Path h5, long frames) throws IOException {
        try (Hdf5Contents contents = new Hdf5Contents(h5, false)) {
            assertEquals(frames, contents.generations.length);
            for (int row = 0; row < frames; row++) {
                assertEquals(row + 1, contents.generations[row], "row " + row);
                assertEquals(-1, Pattern.mismatch(contents.frame("T", row), row + 1, 0), "row " + row);
            }
        }
    }
}
