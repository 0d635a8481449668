package dev.heatgrid.cli;

import dev.heatgrid.viewer.Cadence;
import dev.heatgrid.viewer.ColorMap;
import dev.heatgrid.viewer.ImageSize;
import dev.heatgrid.viewer.Reduction;
import dev.heatgrid.viewer.Snapshot;
import dev.heatgrid.viewer.TimeLapse;
import dev.heatgrid.viewer.ValueRange;
import dev.heatgrid.viewer.ViewerOptions;
import dev.heatgrid.viewer.ViewerWindow;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heatgrid view SEGMENT}: the live heat map in a window, or PNGs when there is no display. */
@Command(name = "view", description = {"Show a segment's newest frames as a live heat map (read-only: it never"
        + " slows the solver).", "With no display: --png FILE for one picture, or --every N --out DIR for a"
        + " time-lapse.", "The segment need not exist yet: the viewer waits for it and follows restarts."})
final class ViewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SEGMENT", converter = SegmentPathConverter.class,
            description = "Segment name or path.")
    Path segment;

    @Option(names = "--field", paramLabel = "NAME", description = "Field to show (default: the first).")
    String field;

    @Option(names = "--colormap", paramLabel = "NAME", defaultValue = "inferno",
            description = "inferno (default), viridis, grayscale or coolwarm (diverging).")
    ColorMap colorMap;

    @Option(names = "--range", paramLabel = "MIN:MAX", description = "Fixed colour range (default: automatic, steady).")
    ValueRange range;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "30", converter = FpsConverter.class,
            description = "Most frames drawn per second (default ${DEFAULT-VALUE}); newer generations replace older.")
    double fps;

    @Option(names = "--reduce", paramLabel = "mean|max", defaultValue = "mean",
            description = "How grids larger than the picture are shrunk: block mean (default) or max.")
    Reduction reduction;

    @Option(names = "--png", paramLabel = "FILE", description = "Write one picture of the newest frame and exit.")
    Path png;

    @Option(names = "--every", paramLabel = "N|DURATION",
            description = "Time-lapse: a picture every N generations (e.g. 10) or every DURATION (e.g. 2s).")
    Cadence every;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for the time-lapse pictures (with --every).")
    Path out;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "0",
            description = "Time-lapse: stop after N pictures (default: when the solver stops).")
    long frames;

    @Option(names = "--image-size", paramLabel = "WxH", defaultValue = "1000x800", description = "Picture size"
            + " (default ${DEFAULT-VALUE}).")
    ImageSize imageSize;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "10s",
            description = "With --png: how long to wait for the segment and its first frame (default ${DEFAULT-VALUE}).")
    Duration wait;

    @Option(names = "--allow-other-owner", description = "View a segment that belongs to another user.")
    boolean allowOtherOwner;

    /** Frame rates through the viewer's own rule, so the message names {@code --fps}. */
    static final class FpsConverter implements picocli.CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return ViewerOptions.parseFps(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() throws Exception {
        if (png != null && (every != null || out != null)) {
            throw new UsageException("--png makes one picture; --every/--out make a time-lapse: choose one");
        }
        if ((every == null) != (out == null)) {
            throw new UsageException(every == null ? "--out needs --every N (generations) or --every DURATION"
                    : "--every needs --out DIR for the pictures");
        }
        if (frames < 0) {
            throw new UsageException("--frames is " + frames + "; allowed 0 (no limit) or more");
        }
        ViewerOptions options = new ViewerOptions(field, colorMap, range, fps, reduction, allowOtherOwner);
        PrintWriter stdout = spec.commandLine().getOut();
        if (png != null) {
            Snapshot.Result result = Snapshot.write(segment, options, png, imageSize, wait);
            stdout.printf("wrote %s: field %s, generation %d (step %d, time %s), solver %s%n", result.png(),
                    result.field(), result.generation(), result.step(), result.time(), result.solver());
            return 0;
        }
        if (every != null) {
            TimeLapse.Summary summary = TimeLapse.run(segment, options,
                    new TimeLapse.Options(out, every, imageSize, frames, true), line -> {
                        stdout.println(line);
                        stdout.flush();
                    });
            stdout.printf("time-lapse: %d picture(s) in %s%s%n", summary.frames(), out,
                    summary.skipped() > 0 ? ", " + summary.skipped() + " generation(s) passed between pictures" : "");
            return 0;
        }
        if (!ViewerWindow.displayAvailable()) {
            throw new UsageException("no display to open a window on (DISPLAY is not set); use --png FILE for a"
                    + " picture or --every N --out DIR for a time-lapse");
        }
        ViewerWindow window = ViewerWindow.open(segment, options);
        window.awaitClosed();
        return 0;
    }
}
