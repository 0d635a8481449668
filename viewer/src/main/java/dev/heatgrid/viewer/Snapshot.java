package dev.heatgrid.viewer;

import dev.heatgrid.segment.FrameCorruptedException;
import dev.heatgrid.segment.FrameReader;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jfree.chart.ChartRenderingInfo;

/**
 * One PNG of the newest consistent frame: the full heat map chart (axes in physical units, colour
 * bar, a title with generation, step and time). Needs no display ({@code java.awt.headless=true}
 * works). Used by {@code heatgrid view --png}, {@code heatgrid snapshot} and {@code heatgrid demo}.
 */
public final class Snapshot {
    /** Space the chart keeps around the plot (title, axes, colour bar): the image needs no more pixels than the rest. */
    private static final int CHART_MARGIN_X = 190;
    private static final int CHART_MARGIN_Y = 140;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Snapshot() {
    }

    /**
     * What was written.
     *
     * @param png        the file
     * @param generation the frame's generation
     * @param step       its solver step
     * @param time       its simulated time
     * @param field      the field shown
     * @param solver     the solver's state when the frame was read
     * @param dataArea   where the grid's extent lies in the PNG, in pixels
     */
    public record Result(Path png, long generation, long step, double time, String field, SolverState solver,
                         Rectangle2D dataArea) {
    }

    /**
     * Writes the newest consistent frame of {@code segment} to {@code png}.
     *
     * @param wait how long to wait for the segment to appear and publish a first frame (zero: not at all)
     * @throws IllegalArgumentException the requested field does not exist (the message lists those that do)
     * @throws NoSuchFileException      no segment appeared at the path in time
     * @throws IOException              no frame was published in time, every frame failed its checksum,
     *                                  the file is not a segment, or the PNG could not be written
     */
    public static Result write(Path segment, ViewerOptions options, Path png, ImageSize size, Duration wait)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        try (FrameReader reader = openWaiting(segment, options.allowOtherOwner(), deadline, wait)) {
            // One picture, taken once: a loaded machine may starve its reads longer than a live window's.
            reader.setMaxReadNanos(FrameReader.ONE_SHOT_MAX_READ_NANOS);
            int field = fieldIndex(reader, options.field());
            var renderer = new HeatmapRenderer(options);
            RenderedFrame frame = newestGoodFrame(reader, renderer, field, size, deadline, wait);
            var chart = new HeatmapChart(segment);
            chart.show(frame);
            var info = new ChartRenderingInfo();
            BufferedImage image = ChartPng.draw(chart.chart(), size, info);
            Rectangle2D area = info.getPlotInfo().getDataArea();
            if (!frame.blocks().equals(BlockGrid.fitting(frame.blocks().nx(), frame.blocks().ny(),
                    (int) area.getWidth(), (int) area.getHeight()))) {
                // The plot's real size is known only once drawn: redo the image for it (same layout, same area).
                RenderedFrame sharper = sharper(reader, renderer, field, area);
                if (sharper != null) {
                    frame = sharper;
                    chart.show(frame);
                    info = new ChartRenderingInfo();
                    image = ChartPng.draw(chart.chart(), size, info);
                }
            }
            ChartPng.write(image, png);
            var h = frame.header();
            return new Result(png, h.generation(), h.step(), h.time(), frame.field(),
                    SolverState.of(reader.writer()), info.getPlotInfo().getDataArea());
        }
    }

    /** The newest frame rendered for {@code area}; null if that read fails (the first image will do). */
    private static RenderedFrame sharper(FrameReader reader, HeatmapRenderer renderer, int field, Rectangle2D area) {
        try {
            return renderer.renderNewest(reader, field, (int) area.getWidth(), (int) area.getHeight());
        } catch (IOException e) {
            return null;
        }
    }

    private static FrameReader openWaiting(Path segment, boolean allowOtherOwner, long deadline, Duration wait)
            throws IOException, InterruptedException {
        while (true) {
            try {
                return FrameReader.open(segment, allowOtherOwner);
            } catch (NoSuchFileException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new NoSuchFileException(segment.toString(), null, "no segment at " + segment
                            + (wait.isZero() ? "" : " (waited " + seconds(wait) + ")"));
                }
                TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
            }
        }
    }

    /** The index of {@code name} (null: the first field); an unknown name lists the fields there are. */
    static int fieldIndex(FrameReader reader, String name) {
        if (name == null) {
            return 0;
        }
        int index = reader.layout().fields().indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no field '" + name + "' in segment " + reader.path() + "; it has: "
                    + String.join(", ", reader.layout().fields()));
        }
        return index;
    }

    /**
     * Skips frames that fail their checksum while newer ones may still come before the deadline; if
     * none does, the corruption is the answer (never "no frame yet": there was one, and it is damaged).
     */
    private static RenderedFrame newestGoodFrame(FrameReader reader, HeatmapRenderer renderer, int field,
                                                 ImageSize size, long deadline, Duration wait)
            throws IOException, InterruptedException {
        int width = size.width() - CHART_MARGIN_X;
        int height = size.height() - CHART_MARGIN_Y;
        long after = 0;
        FrameCorruptedException corrupt = null;
        while (true) {
            if (reader.generation() > after) {
                try {
                    RenderedFrame frame = renderer.renderNewest(reader, field, width, height);
                    if (frame != null) {
                        return frame;
                    }
                } catch (FrameCorruptedException e) {
                    corrupt = e;
                    after = e.generation();
                    if (System.nanoTime() - deadline >= 0 || SolverState.of(reader.writer()).finished()) {
                        throw e;
                    }
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                if (corrupt != null) {
                    throw corrupt;
                }
                throw new IOException("segment " + reader.path() + " has no frame yet"
                        + (wait.isZero() ? "" : " (waited " + seconds(wait) + ")") + "; solver "
                        + SolverState.of(reader.writer()));
            }
            reader.awaitNewer(after, Math.min(left, POLL_NANOS * 4), TimeUnit.NANOSECONDS);
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() / 1000.0 + " s";
    }
}
