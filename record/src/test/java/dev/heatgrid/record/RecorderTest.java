package dev.heatgrid.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.GateStatus;
import dev.heatgrid.segment.GatingConsumer;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recorder against a writer in this JVM: what it wrote equals, cell for cell, what was published. */
class RecorderTest {
    @TempDir(factory = ShmTempDir.class)
    Path shm;

    @TempDir
    Path dir;

    private final List<String> notes = new CopyOnWriteArrayList<>();

    private Recorder.Events events() {
        return notes::add;
    }

    private static Recorder.Settings everyFrame() {
        return new Recorder.Settings(List.of(), 1, null, 1, 0, null, true, GatingConsumer.DEFAULT_STALL_BOUND, false);
    }

    private Recorder.Result record(Path segment, Recorder.Settings settings, Recorder.SinkFactory sinks, int frames,
                                   SegmentSpec spec) throws Exception {
        return PatternRecording.record(segment, spec, settings, sinks, frames, events());
    }

    @Test
    void everyFrameIntoHdf5EqualsThePublishedFramesCellForCell() throws Exception {
        Hdf5Support.requireLibrary();
        Path segment = shm.resolve("round.hgrid");
        Path h5 = dir.resolve("run.h5");
        SegmentSpec spec = SegmentSpec.of(24, 10, "T", "v").withBuffers(2).withSpacing(0.5, 0.25, 0.1);
        Recorder.Result result = record(segment, everyFrame(),
                run -> new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), run, false), 300, spec);
        assertEquals(Recorder.End.WRITER_EXITED, result.end(), notes.toString());
        assertEquals(300, result.counts().recorded());
        assertEquals(0, result.counts().lost());
        try (Hdf5Contents contents = new Hdf5Contents(h5, false)) {
            assertEquals(300, contents.generations.length);
            for (int row = 0; row < 300; row++) {
                assertEquals(row + 1, contents.generations[row]);
                for (int f = 0; f < 2; f++) {
                    double[] cells = contents.frame(f == 0 ? "T" : "v", row);
                    assertEquals(-1, Pattern.mismatch(cells, row + 1, f), "row " + row + " field " + f);
                }
            }
            assertEquals("T,v", contents.stringAttribute("fields"));
        }
    }

    @Test
    void theNewestFramesModeNeverWaitsAndCountsWhatItSkipped() throws Exception {
        Hdf5Support.requireLibrary();
        Path segment = shm.resolve("newest.hgrid");
        Path h5 = dir.resolve("newest.h5");
        Recorder.Settings settings = Recorder.Settings.defaults();
        Recorder.Result result = record(segment, settings,
                run -> new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), run, false), 2000,
                SegmentSpec.of(64, 64, "T"));
        Recorder.Counts c = result.counts();
        assertEquals(Recorder.End.WRITER_EXITED, result.end());
        assertEquals(2000, c.last(), "the last frame of a run is always recorded");
        try (Hdf5Contents contents = new Hdf5Contents(h5, false)) {
            assertEquals(c.recorded(), contents.generations.length);
            long previous = 0;
            long gaps = 0;
            for (int row = 0; row < contents.generations.length; row++) {
                long g = contents.generations[row];
                assertTrue(g > previous);
                if (previous > 0) {
                    gaps += g - previous - 1;
                }
                previous = g;
                assertEquals(-1, Pattern.mismatch(contents.frame("T", row), g, 0), "row " + row);
            }
            assertEquals(gaps, c.skipped(), "skipped counts exactly the generations missing between recorded ones");
        }
    }

    @Test
    void vtkSeriesEveryThirdGenerationDownsampledAndOneField() throws Exception {
        Path segment = shm.resolve("vtk.hgrid");
        Path pvd = dir.resolve("series.pvd");
        Recorder.Settings settings = new Recorder.Settings(List.of("v"), 3, null, 2, 0, null, true,
                Duration.ofSeconds(5), false);
        Recorder.Result result = record(segment, settings, run -> new VtkSeries(pvd, dir.resolve("series"), "series", run),
                30, SegmentSpec.of(9, 4, "T", "v").withSpacing(0.5, 2.0, 0));
        assertEquals(11, result.counts().recorded(), "generations 1, 4, ..., 28 and the run's last, 30");
        RunDescription run = result.run();
        assertEquals(4, run.nx());
        assertEquals(2, run.ny());
        assertEquals(1.0, run.dx());
        String collection = Files.readString(pvd);
        for (long g : new long[] {1, 4, 7, 10, 13, 16, 19, 22, 25, 28, 30}) {
            Path vti = dir.resolve("series").resolve(String.format("series_%010d.vti", g));
            assertTrue(collection.contains("file=\"series/" + vti.getFileName() + "\""), collection);
            VtiFile file = VtiFile.read(vti);
            assertEquals(List.of("v"), file.arrayNames());
            double[] cells = file.array("v");
            // block (bx, by) averages source cells x in [2bx, 2bx+1], y in [2by, 2by+1] of field 1
            for (int by = 0; by < 2; by++) {
                for (int bx = 0; bx < 4; bx++) {
                    double sum = 0;
                    for (int y = 2 * by; y < 2 * by + 2; y++) {
                        for (int x = 2 * bx; x < 2 * bx + 2; x++) {
                            sum += Pattern.value(g, 1, y * 9L + x);
                        }
                    }
                    assertEquals(sum / 4, cells[by * 4 + bx], 1e-6, "generation " + g + " block " + bx + "," + by);
                }
            }
        }
        assertTrue(notes.stream().anyMatch(n -> n.contains("last 1 column(s) and 0 row(s) are left out")), notes.toString());
    }

    /** A sink that keeps only the generations it was given, and when (System.nanoTime). */
    private static final class Generations implements FrameSink {
        final List<Long> seen = new CopyOnWriteArrayList<>();
        final List<Long> at = new CopyOnWriteArrayList<>();

        @Override
        public void append(RecordedFrame frame) {
            seen.add(frame.generation());
            at.add(System.nanoTime());
        }

        @Override
        public long frames() {
            return seen.size();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aFrameLimitEndsAnEveryFrameRecordingAndTheWriterGoesOn() throws Exception {
        Generations sink = new Generations();
        Recorder.Settings settings = new Recorder.Settings(List.of(), 1, null, 1, 5, null, true, Duration.ofSeconds(60),
                false);
        // 30 frames through 2 buffers: were the recorder still gating after its fifth frame, the writer
        // would wait the whole 60 s gate timeout and the helper's 60 s limit would fail the test.
        Recorder.Result result = record(shm.resolve("frames.hgrid"), settings, run -> sink, 30,
                SegmentSpec.of(8, 8, "T").withBuffers(2));
        assertEquals(Recorder.End.FRAMES, result.end());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), sink.seen);
    }

    @Test
    void theRunsLastFrameIsRecordedAlsoWhenEveryFrameFinishedItBeforeTheWriterExited() throws Exception {
        Path segment = shm.resolve("last.hgrid");
        Generations sink = new Generations();
        Recorder.Settings settings = new Recorder.Settings(List.of(), 3, null, 1, 0, null, true, Duration.ofSeconds(5),
                false);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(8, 4, "T"));
             FrameReader probe = FrameReader.open(segment)) {
            Recorder recorder = new Recorder(segment, settings, run -> sink, events());
            Future<Recorder.Result> result = pool.submit(() -> recorder.run(() -> false));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (GateStatus.of(probe).members().isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the recorder never joined the gate");
                Thread.sleep(5);
            }
            for (int i = 0; i < 5; i++) {
                Pattern.publish(writer);
            }
            // The recorder is done with generation 5 while its writer still runs: 5 is not (yet) the last frame.
            while (GateStatus.of(probe).members().getFirst().cursor() < 5) {
                assertTrue(System.nanoTime() < deadline, "the recorder never finished generation 5");
                Thread.sleep(5);
            }
            writer.close();
            assertEquals(Recorder.End.WRITER_EXITED, result.get(60, TimeUnit.SECONDS).end());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of(1L, 4L, 5L), sink.seen, "every third generation and the run's last");
    }

    @Test
    void aDurationEndsTheRecordingWhileNoFrameComes() throws Exception {
        Path segment = shm.resolve("duration.hgrid");
        Generations sink = new Generations();
        Recorder.Settings settings = new Recorder.Settings(List.of(), 1, null, 1, 0, Duration.ofMillis(400), false,
                GatingConsumer.DEFAULT_STALL_BOUND, false);
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(8, 8, "T"))) {
            for (int i = 0; i < 3; i++) {
                Pattern.publish(writer);
            }
            long start = System.nanoTime();
            Recorder.Result result = new Recorder(segment, settings, run -> sink, events()).run(() -> false);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(Recorder.End.DURATION, result.end());
            assertEquals(List.of(3L), sink.seen, "the newest frame, then nothing new until the duration passed");
            assertTrue(millis >= 400, "ended after " + millis + " ms");
        }
    }

    @Test
    void anIntervalRecordsTheNewestFrameAtMostThatOftenAndTheLastFrameAlways() throws Exception {
        Path segment = shm.resolve("interval.hgrid");
        Generations sink = new Generations();
        Recorder.Settings settings = new Recorder.Settings(List.of(), 1, Duration.ofMillis(250), 1, 0, null, false,
                GatingConsumer.DEFAULT_STALL_BOUND, false);
        long last;
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(8, 8, "T"))) {
            Recorder recorder = new Recorder(segment, settings, run -> sink, events());
            var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return recorder.run(() -> false);
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            long end = System.nanoTime() + 1_500_000_000L;
            while (System.nanoTime() < end) {
                Pattern.publish(writer); // about 500 frames a second
                Thread.sleep(2);
            }
            last = writer.generation();
            writer.close();
            assertEquals(Recorder.End.WRITER_EXITED, result.get(60, java.util.concurrent.TimeUnit.SECONDS).end());
        }
        assertEquals(last, sink.seen.getLast(), "the run's last frame is always recorded");
        assertTrue(sink.seen.size() >= 3 && sink.seen.size() <= 1500 / 250 + 2, sink.seen.toString());
        for (int i = 1; i < sink.seen.size() - 1; i++) {
            long gap = (sink.at.get(i) - sink.at.get(i - 1)) / 1_000_000;
            assertTrue(gap >= 250, "frames " + sink.seen.get(i - 1) + " and " + sink.seen.get(i) + " were recorded "
                    + gap + " ms apart");
        }
    }

    @Test
    void anUnknownFieldIsNamedWithTheOnesThereAre() throws Exception {
        Path segment = shm.resolve("fields.hgrid");
        try (SegmentWriter ignored = SegmentWriter.create(segment, SegmentSpec.of(4, 4, "T", "v"))) {
            Recorder recorder = new Recorder(segment, new Recorder.Settings(List.of("q"), 1, null, 1, 0, null, false,
                    Duration.ofSeconds(1), false), run -> {
                throw new AssertionError("no output for a bad field");
            }, events());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> recorder.run(() -> false));
            assertTrue(e.getMessage().contains("no field 'q'; it has T, v"), e.getMessage());
        }
    }

    @Test
    void blockMeanAveragesWholeBlocks() {
        BlockMean mean = new BlockMean(2, 5, 4);
        assertEquals(2, mean.nx());
        assertEquals(2, mean.ny());
        double[] source = new double[20];
        for (int i = 0; i < 20; i++) {
            source[i] = i;
        }
        double[] into = new double[4];
        mean.reduce(source, into);
        assertArrayEquals(new double[] {(0 + 1 + 5 + 6) / 4.0, (2 + 3 + 7 + 8) / 4.0, (10 + 11 + 15 + 16) / 4.0,
                (12 + 13 + 17 + 18) / 4.0}, into);
        assertThrows(IllegalArgumentException.class, () -> new BlockMean(5, 5, 4));
    }

    @Test
    void aFailedAppendIsWhatTheRunReportsEvenWhenClosingFailsToo() throws Exception {
        Path segment = shm.resolve("full.hgrid");
        FrameSink full = new FrameSink() {
            @Override
            public void append(RecordedFrame frame) throws java.io.IOException {
                throw new java.io.IOException("no space left on device");
            }

            @Override
            public long frames() {
                return 0;
            }

            @Override
            public void close() throws java.io.IOException {
                throw new java.io.IOException("cannot finish the file");
            }
        };
        var e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> record(segment, Recorder.Settings.defaults(), run -> full, 5, SegmentSpec.of(4, 4, "T")));
        assertEquals("no space left on device", e.getCause().getMessage(), "the cause, not the close that followed it");
        assertEquals("cannot finish the file", e.getCause().getSuppressed()[0].getMessage());
    }
}
