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
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heatgrid view SEGMENT}: the live heat map in a window, or pictures when there is no display. */
@Command(name = "view", description = {"Show a segment's newest frames as a live heat map (read-only: it never"
        + " slows the solver).", "With no display: --out FILE.png for one picture, or --every N (or --interval"
        + " DURATION) with --out-dir DIR for a time-lapse.", "The segment need not exist yet: the viewer waits for it"
        + " and follows restarts."},
        footer = {"", "Examples:",
                "  heatgrid view plate",
                "  heatgrid view plate --out now.png",
                "  heatgrid view plate --interval 2s --out-dir frames/ --frames 100"})
final class ViewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SegmentArgument segment;

    @Mixin
    ProgressOutput progress;

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

    @Option(names = "--out", paramLabel = "FILE", description = "Write one picture (.png) of the newest frame and exit.")
    Path out;

    @Option(names = "--every", paramLabel = "N",
            description = "Time-lapse: a picture every N generations (with --out-dir).")
    Cadence every;

    @Option(names = "--interval", paramLabel = "DURATION",
            description = "Time-lapse: a picture every DURATION of wall-clock time, e.g. 2s (with --out-dir).")
    Duration interval;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "Folder for the time-lapse pictures (created).")
    Path outDir;

    @Option(names = "--frames", paramLabel = "N", description = "Time-lapse: stop after N pictures (default 0: when"
            + " the solver stops).")
    Long frames;

    @Option(names = "--image-size", paramLabel = "WxH", defaultValue = "1000x800", description = "Picture size"
            + " (default ${DEFAULT-VALUE}).")
    ImageSize imageSize;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
            description = "With --out: how long to wait for the segment and its first frame (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--png", paramLabel = "FILE", hidden = true, description = Deprecations.PREFIX + "--out FILE")
    Path png;

    @Option(names = "--wait", paramLabel = "DURATION", hidden = true, description = Deprecations.PREFIX
            + "--timeout DURATION")
    Duration wait;

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
        Cadence cadence = cadence();
        if (png != null) {
            if (out != null) {
                throw new UsageException("--png is the old spelling of --out: give one");
            }
            out = png;
        }
        if (wait != null) {
            timeout = wait;
        }
        if (out != null && cadence != null && outDir == null) {
            // The old spelling: --every N --out DIR made a time-lapse into DIR.
            Deprecations.note(spec, "--out DIR with --every", "--out-dir DIR");
            outDir = out;
            out = null;
        }
        if (out != null && (cadence != null || outDir != null)) {
            throw new UsageException("--out FILE makes one picture; --every or --interval with --out-dir make a"
                    + " time-lapse: choose one");
        }
        if ((cadence == null) != (outDir == null)) {
            throw new UsageException(cadence == null ? "--out-dir needs --every N (generations) or --interval DURATION"
                    : (every != null ? "--every" : "--interval") + " needs --out-dir DIR for the pictures");
        }
        if (frames != null && (frames < 0 || cadence == null)) {
            throw new UsageException(frames < 0 ? "--frames is " + frames + "; allowed 0 (no limit) or more"
                    : "--frames counts time-lapse pictures: it needs --every or --interval and --out-dir");
        }
        ViewerOptions options = new ViewerOptions(field, colorMap, range, fps, reduction, segment.allowOtherOwner());
        var stdout = spec.commandLine().getOut();
        if (out != null) {
            OutputFile file = OutputFile.of("--out", out, List.of("png"));
            Snapshot.Result result = file.write(() -> Snapshot.write(segment.path(), options, file.path(), imageSize,
                    timeout));
            stdout.printf("wrote %s: field %s, generation %d (step %d, time %s), solver %s%n", result.png(),
                    result.field(), result.generation(), result.step(), HumanFormat.number(result.time()),
                    result.solver());
            return 0;
        }
        if (cadence != null) {
            TimeLapse.Summary summary = TimeLapse.run(segment.path(), options,
                    new TimeLapse.Options(outDir, cadence, imageSize, frames == null ? 0 : frames, true), progress::line);
            stdout.printf("time-lapse: %d picture(s) in %s%s%n", summary.frames(), outDir,
                    summary.skipped() > 0 ? ", " + summary.skipped() + " generation(s) passed between pictures" : "");
            return 0;
        }
        String problem = DisplayCheck.problem().orElse(null);
        if (problem != null) {
            throw new UsageException("no display to open a window on (" + problem + "); use --out FILE.png for a"
                    + " picture or --every N --out-dir DIR for a time-lapse");
        }
        ViewerWindow window = ViewerWindow.open(segment.path(), options);
        window.awaitClosed();
        return 0;
    }

    /** --every N or --interval DURATION; the old --every DURATION still works, with a note. */
    private Cadence cadence() {
        if (every != null && interval != null) {
            throw new UsageException("--every counts generations and --interval is a time: give one");
        }
        if (interval != null) {
            return Cadence.every(interval);
        }
        if (every != null && !every.byGenerations()) {
            Deprecations.note(spec, "--every DURATION", "--interval DURATION");
        }
        return every;
    }
}
