package dev.heatgrid.viewer;

import dev.heatgrid.segment.SegmentLayout;
import java.awt.Dimension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jfree.chart.ChartRenderingInfo;

/**
 * A headless time-lapse: follows a segment like the live viewer (waiting for it, following
 * restarts, surviving checksum failures) and writes a PNG of the newest frame every N generations
 * or every S seconds into a folder, numbered {@code frame-000001.png}, ... , with an index
 * {@code frames.csv} (frame, generation, step, time, file) for movie makers and analysis. Numbering
 * continues after frames already in the folder, so nothing is overwritten.
 *
 * <p>If the solver is faster than PNGs can be written, generations in between are skipped; with
 * "every N generations" each PNG is the newest frame once at least N generations passed.
 */
public final class TimeLapse {
    private static final Pattern FRAME_FILE = Pattern.compile("frame-(\\d+)\\.png");

    private TimeLapse() {
    }

    /**
     * How to take the time-lapse.
     *
     * @param dir              folder for the PNGs (created if missing)
     * @param cadence          how often to take a frame
     * @param size             PNG size
     * @param maxFrames        stop after this many frames; 0 for no limit
     * @param untilSolverStops stop once the solver exited or died and its final frame is written
     */
    public record Options(Path dir, Cadence cadence, ImageSize size, long maxFrames, boolean untilSolverStops) {
        public Options {
            Objects.requireNonNull(dir, "dir");
            Objects.requireNonNull(cadence, "cadence");
            Objects.requireNonNull(size, "size");
            if (maxFrames < 0) {
                throw new IllegalArgumentException("maximum frame count " + maxFrames + " must be 0 (no limit) or more");
            }
        }
    }

    /**
     * What was written.
     *
     * @param frames     PNGs written
     * @param lastFile   the last of them, or null
     * @param skipped    generations not captured because newer ones came first (last run only)
     */
    public record Summary(long frames, Path lastFile, long skipped) {
    }

    /**
     * Runs until {@code options} say stop, or until interrupted (then returns what was written).
     *
     * @param progress receives one line per PNG and one whenever the situation changes (solver
     *                 exited, segment replaced, checksum failure, ...)
     * @throws IOException the folder cannot be created or a PNG cannot be written
     * @throws IllegalArgumentException the segment has no field by the requested name (the message lists those it has)
     */
    public static Summary run(Path segment, ViewerOptions view, Options options, Consumer<String> progress)
            throws IOException, InterruptedException {
        if (Files.exists(options.dir()) && !Files.isDirectory(options.dir())) {
            throw new IOException("time-lapse folder " + options.dir() + " is a file, not a folder");
        }
        Files.createDirectories(options.dir());
        var sink = new Recorder(segment, view.field(), options, progress, nextNumber(options.dir()));
        var loop = new ViewerLoop(segment, view, sink, sink.paints);
        sink.loop = loop;
        loop.start();
        try {
            sink.done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // stop now, report what we have
        } finally {
            loop.close();
        }
        if (sink.badField != null) {
            throw sink.badField;
        }
        if (sink.failure != null) {
            throw sink.failure;
        }
        return new Summary(sink.written, sink.lastFile, loop.skipped());
    }

    private static long nextNumber(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return 1 + files.map(p -> FRAME_FILE.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches).mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(0);
        }
    }

    /** The sink: decides which generations to take and writes them. Runs on the loop's thread. */
    private static final class Recorder implements FrameSink {
        final PaintMeter paints = new PaintMeter();
        final CountDownLatch done = new CountDownLatch(1);
        private final Path segment;
        private final String field;
        private final Options options;
        private final Consumer<String> progress;
        private final HeatmapChart chart;
        private final Path index;
        private ViewerLoop loop;
        private long number;
        private long written;
        private Path lastFile;
        private long lastGeneration;
        private long nextAt;
        private volatile boolean solverFinished;
        private String lastAlert;
        private IOException failure;
        private IllegalArgumentException badField;
        /** The plot's size in the PNG, known after the first frame: later frames are rendered for it exactly. */
        private volatile Dimension plotSize;

        Recorder(Path segment, String field, Options options, Consumer<String> progress, long firstNumber) {
            this.segment = segment;
            this.field = field;
            this.options = options;
            this.progress = progress;
            this.chart = new HeatmapChart(segment);
            this.index = options.dir().resolve("frames.csv");
            this.number = firstNumber;
        }

        @Override
        public void runStarted(SegmentLayout layout, String shown) {
            if (field != null && !layout.fields().contains(field)) {
                // Unlike a window, a time-lapse has nobody to pick another field: recording the wrong one is worse than stopping.
                badField = new IllegalArgumentException("no field '" + field + "' in segment " + segment + "; it has: "
                        + String.join(", ", layout.fields()));
                done.countDown();
                return;
            }
            lastGeneration = 0;
            solverFinished = false;
            progress.accept("attached to " + layout.nx() + " x " + layout.ny() + " segment, showing " + shown);
        }

        @Override
        public Dimension targetSize() {
            Dimension known = plotSize;
            return known != null ? known : new Dimension(options.size().width() - 190, options.size().height() - 140);
        }

        @Override
        public boolean wants(long generation, long nowNanos) {
            if (limitReached()) {
                return false; // the loop may offer a frame or two before run() closes it
            }
            if (solverFinished) {
                return generation > lastGeneration; // always capture the final frame
            }
            Cadence cadence = options.cadence();
            if (cadence.byGenerations()) {
                return lastGeneration == 0 || generation >= lastGeneration + cadence.generations();
            }
            return written == 0 || nowNanos - nextAt >= 0;
        }

        @Override
        public void show(RenderedFrame frame) {
            if (failure != null || badField != null || limitReached()) {
                return;
            }
            try {
                RenderedFrame previous = chart.show(frame);
                Path file = options.dir().resolve(String.format(Locale.ROOT, "frame-%06d.png", number));
                var info = new ChartRenderingInfo();
                ChartPng.write(ChartPng.draw(chart.chart(), options.size(), info), file);
                var area = info.getPlotInfo().getDataArea();
                plotSize = new Dimension((int) area.getWidth(), (int) area.getHeight());
                appendIndex(frame, file);
                if (previous != null) {
                    loop.recycle(previous);
                }
                long now = System.nanoTime();
                paints.painted(frame, now);
                if (written == 0 && options.cadence().interval() != null) {
                    nextAt = now;
                }
                nextAt += options.cadence().interval() != null ? options.cadence().interval().toNanos() : 0;
                number++;
                written++;
                lastFile = file;
                lastGeneration = frame.generation();
                var h = frame.header();
                progress.accept(String.format(Locale.ROOT, "%s  generation %d  step %d  t = %s", file.getFileName(),
                        h.generation(), h.step(), Numbers.compact(h.time())));
                if (limitReached()) {
                    done.countDown();
                }
            } catch (IOException e) {
                failure = e;
                done.countDown();
            }
        }

        /** Whether --frames N pictures are written (the loop thread's view: it alone counts). */
        private boolean limitReached() {
            return options.maxFrames() > 0 && written >= options.maxFrames();
        }

        private void appendIndex(RenderedFrame frame, Path file) throws IOException {
            var h = frame.header();
            String header = Files.exists(index) ? "" : "frame,generation,step,time,file\n";
            String line = String.format(Locale.ROOT, "%s%d,%d,%d,%s,%s\n", header, number, h.generation(), h.step(),
                    Double.toString(h.time()), file.getFileName());
            Files.writeString(index, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }

        @Override
        public void status(ViewerStatus status) {
            String alert = status.alert();
            if (alert != null && !alert.equals(lastAlert)) {
                progress.accept(alert);
            }
            lastAlert = alert;
            solverFinished = status.solver().finished();
            boolean finalFrameTaken = status.newestGeneration() == 0 || lastGeneration >= status.newestGeneration()
                    || status.checksum().failedGeneration() >= status.newestGeneration();
            if (options.untilSolverStops() && solverFinished && finalFrameTaken) {
                done.countDown();
            }
        }
    }
}
