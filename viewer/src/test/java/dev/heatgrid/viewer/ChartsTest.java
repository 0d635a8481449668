package dev.heatgrid.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.WriterState;
import dev.heatgrid.segment.WriterStatus;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChartsTest {
    private static RenderedFrame frame(long generation, ValueRange range) {
        var header = new FrameHeader(generation, generation * 10, generation * 0.1, System.nanoTime(),
                List.of(new FieldStats(0, 1, 0.5, 2, 0)), "");
        return new RenderedFrame(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), header, "T", 0,
                ColorMap.INFERNO, range, false, new BlockGrid(8, 8, 1, 1), Reduction.MEAN,
                new GridExtent(0, 0, 1, 1, 8, 8), 0);
    }

    @Test
    void aLiveChartIsNotRedrawnForANewFrameUnlessItsRangeChanges() {
        var chart = new HeatmapChart(Path.of("live.hgrid"), true);
        var redraws = new AtomicInteger();
        chart.chart().addChangeListener(event -> redraws.incrementAndGet());
        chart.show(frame(1, new ValueRange(0, 1)));
        int afterFirst = redraws.get();
        assertTrue(afterFirst > 0, "the first frame sets up axes and colour bar");
        for (long g = 2; g < 50; g++) {
            RenderedFrame previous = chart.show(frame(g, new ValueRange(0, 1)));
            assertEquals(g - 1, previous.generation(), "show hands back the frame it replaced");
        }
        assertEquals(afterFirst, redraws.get(), "new frames only repaint the image over the cached chart");
        chart.show(frame(50, new ValueRange(0, 2)));
        assertTrue(redraws.get() > afterFirst, "a new range redraws the colour bar");
    }

    @Test
    void aPngChartTitlesEachFrame() {
        var chart = new HeatmapChart(Path.of("png.hgrid"));
        chart.show(frame(7, new ValueRange(0, 1)));
        assertEquals("T  ·  generation 7  ·  step 70  ·  t = 0.7", chart.chart().getTitle().getText());
    }

    @Test
    void statsHistoryIsBoundedAndRestartsWithANewRun() {
        var stats = new StatsChart();
        for (long g = 1; g <= StatsChart.MAX_POINTS + 500; g++) {
            stats.add(frame(g, new ValueRange(0, 1)).header(), 0);
        }
        assertEquals(StatsChart.MAX_POINTS, stats.points());
        stats.restart("T");
        assertEquals(0, stats.points());
    }

    @Test
    void solverStatesFromTheWriterRecord() {
        long second = TimeUnit.SECONDS.toNanos(1);
        assertEquals(SolverState.NONE, SolverState.of(new WriterStatus(0, 0, 0, false, WriterState.NONE, Long.MAX_VALUE)));
        assertEquals(SolverState.RUNNING, SolverState.of(new WriterStatus(42, 1, 1, true, WriterState.RUNNING, second / 100)));
        assertEquals(SolverState.PAUSED, SolverState.of(new WriterStatus(42, 1, 1, true, WriterState.PAUSED, second / 10)));
        // A paused writer heartbeats too (docs/FORMAT.md §2.2): a silent one is stopped or stuck.
        assertEquals(SolverState.NOT_RESPONDING,
                SolverState.of(new WriterStatus(42, 1, 1, true, WriterState.PAUSED, 60 * second)));
        assertEquals(SolverState.NOT_RESPONDING,
                SolverState.of(new WriterStatus(42, 1, 1, true, WriterState.RUNNING, 6 * second)));
        assertEquals(SolverState.GONE, SolverState.of(new WriterStatus(42, 1, 1, false, WriterState.RUNNING, 6 * second)));
        assertEquals(SolverState.EXITED, SolverState.of(new WriterStatus(42, 1, 1, false, WriterState.EXITED, 6 * second)));
        assertTrue(SolverState.GONE.finished() && SolverState.EXITED.finished() && !SolverState.PAUSED.finished());
    }

    @Test
    void viewerThreadsRunBelowTheSolversPriority() throws Exception {
        var nice = new java.util.concurrent.atomic.AtomicReference<String>();
        Thread t = Thread.ofPlatform().start(() -> {
            if (SchedulingPriority.lowerCurrentThread()) {
                try {
                    // Field 19 of /proc/thread-self/stat is the nice value (after the parenthesised name).
                    String stat = java.nio.file.Files.readString(Path.of("/proc/thread-self/stat"));
                    nice.set(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
                } catch (java.io.IOException e) {
                    nice.set(e.toString());
                }
            }
        });
        t.join();
        org.junit.jupiter.api.Assumptions.assumeTrue(nice.get() != null, "not Linux, or no native access");
        assertEquals(Integer.toString(SchedulingPriority.VIEWER_NICE), nice.get());
    }
}
