package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeLapseTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    /** Publishes {@code frames} generations of a moving spot, {@code intervalMillis} apart, then exits. */
    private CompletableFuture<Void> solver(Path segment, int frames, long intervalMillis) {
        // Own threads: the common pool has a single worker on a 2-core machine.
        return CompletableFuture.runAsync(() -> {
            try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(48, 48, "T"))) {
                for (int k = 1; k <= frames; k++) {
                    int[] c = HotSpot.centreAt(k, 48, 48);
                    HotSpot.fill(writer.beginFrame().fields().get(0), 48, 48, c[0], c[1], 4);
                    writer.publish(k * 10L, k * 0.01, "");
                    Thread.sleep(intervalMillis);
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, Executors.newVirtualThreadPerTaskExecutor());
    }

    @Test
    void everyNGenerationsUntilTheSolverExitsIncludingItsFinalFrame() throws Exception {
        Path segment = dir.resolve("lapse.hgrid");
        Path out = dir.resolve("frames");
        var lines = Collections.synchronizedList(new ArrayList<String>());
        // Attach first: a solver that exits with no viewer attached takes its (unkept) file with it.
        var options = new TimeLapse.Options(out, Cadence.parse("10"), new ImageSize(400, 300), 0, true);
        var lapse = CompletableFuture.supplyAsync(() -> {
            try {
                return TimeLapse.run(segment, ViewerOptions.defaults(), options, lines::add);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, Executors.newVirtualThreadPerTaskExecutor());
        Thread.sleep(300);
        solver(segment, 60, 15).join();
        TimeLapse.Summary summary = lapse.get(30, java.util.concurrent.TimeUnit.SECONDS);

        List<String> index = Files.readAllLines(out.resolve("frames.csv"));
        assertEquals("frame,generation,step,time,file", index.getFirst());
        assertEquals(summary.frames() + 1, index.size());
        assertTrue(summary.frames() >= 2, "frames: " + summary.frames());
        long previous = 0;
        for (int i = 1; i < index.size(); i++) {
            String[] row = index.get(i).split(",");
            assertEquals(String.format("frame-%06d.png", i), row[4]);
            assertEquals(i, Long.parseLong(row[0]));
            long generation = Long.parseLong(row[1]);
            assertEquals(generation * 10, Long.parseLong(row[2]));
            boolean last = i == index.size() - 1;
            assertTrue(previous == 0 || generation - previous >= 10 || last && generation > previous,
                    "generation " + generation + " after " + previous);
            previous = generation;
            var png = ImageIO.read(out.resolve(row[4]).toFile());
            assertEquals(400, png.getWidth());
        }
        assertEquals(60, previous, "the solver's final frame is always taken");
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("frame-000001.png  generation")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains("solver exited")), lines.toString());
    }

    @Test
    void everySecondsWithAFrameLimitContinuesTheNumberingOfAnEarlierRun() throws Exception {
        Path segment = dir.resolve("timed.hgrid");
        Path out = Files.createDirectories(dir.resolve("timed"));
        Files.writeString(out.resolve("frame-000007.png"), "an earlier time-lapse's frame");
        var solver = solver(segment, 400, 5);
        var options = new TimeLapse.Options(out, Cadence.parse("100ms"), new ImageSize(400, 300), 3, false);
        TimeLapse.Summary summary = TimeLapse.run(segment, ViewerOptions.defaults(), options, line -> { });
        assertEquals(3, summary.frames());
        assertEquals(out.resolve("frame-000010.png"), summary.lastFile());
        assertTrue(Files.exists(out.resolve("frame-000008.png")));
        assertEquals("an earlier time-lapse's frame", Files.readString(out.resolve("frame-000007.png")));
        solver.join();
    }

    @Test
    void aFileWhereTheFolderShouldBeIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("notadir"), "x");
        var options = new TimeLapse.Options(file, Cadence.parse("1"), ImageSize.DEFAULT, 1, true);
        var e = assertThrows(IOException.class, () -> TimeLapse.run(dir.resolve("s.hgrid"), ViewerOptions.defaults(),
                options, line -> { }));
        assertEquals("time-lapse folder " + file + " is a file, not a folder", e.getMessage());
    }

    @Test
    void aMissingFieldStopsTheTimeLapseWithTheFieldsThereAre() throws Exception {
        Path segment = dir.resolve("fields.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(8, 8, "T", "C"))) {
            writer.beginFrame();
            writer.publish(0, 0, "");
            var options = new TimeLapse.Options(dir.resolve("out"), Cadence.parse("1"), ImageSize.DEFAULT, 0, true);
            var e = assertThrows(IllegalArgumentException.class, () -> TimeLapse.run(segment,
                    ViewerOptions.defaults().withField("U"), options, line -> { }));
            assertEquals("no field 'U' in segment " + segment + "; it has: T, C", e.getMessage());
        }
    }
}
