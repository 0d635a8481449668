package dev.heatgrid.cli;

import dev.heatgrid.record.FrameSink;
import dev.heatgrid.record.Hdf5Recording;
import dev.heatgrid.record.Recorder;
import dev.heatgrid.record.RunDescription;
import dev.heatgrid.record.VtkSeries;
import dev.heatgrid.solver.RunControl;
import dev.heatgrid.solver.StopReason;
import dev.heatgrid.solver.TerminationSignals;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heatgrid record SEGMENT --out run.h5}: a run's frames into a file ParaView, VisIt, h5py and MATLAB open. */
@Command(name = "record", description = {"Record a run's frames into HDF5 (with a companion XDMF for ParaView and"
        + " VisIt) or a VTK series, until the solver exits (or --frames, --duration, Ctrl-C), across restarts of"
        + " the same run.",
        "By default it never slows the solver: when it falls behind it records the newest frame and counts what it"
                + " skipped. --every-frame makes the solver wait for it, so no frame is lost.",
        "Exit status: 0 done, 1 failure, 2 usage error, 4 frames were lost despite --every-frame (the solver"
                + " dropped the recorder after --gate-timeout), 130 stopped by Ctrl-C (the file is complete)."})
final class RecordCommand implements Callable<Integer> {
    static final int FRAMES_LOST = 4;
    private static final long PROGRESS_NANOS = 1_000_000_000L;

    /** The file formats a recording can have. */
    enum Format { HDF5, VTK }

    @Spec
    CommandSpec spec;

    @Mixin
    SegmentArgument segment;

    @Mixin
    ProgressOutput progress;

    @Option(names = "--out", paramLabel = "FILE", description = "One file: run.h5 (HDF5, plus run.xdmf3 for ParaView and run.xdmf for VisIt beside it)"
            + " or run.pvd (VTK collection; the .vti frames go into the folder run/ beside it).")
    Path out;

    @Option(names = "--out-dir", paramLabel = "DIR", description = "A folder for a VTK series: one .vti per frame"
            + " and SEGMENT.pvd listing them.")
    Path outDir;

    @Option(names = "--format", paramLabel = "hdf5|vtk", description = "Output format; follows the --out extension"
            + " (and must agree with it); --out-dir means vtk.")
    Format format;

    @Option(names = "--every", paramLabel = "N", defaultValue = "1",
            description = "Record one generation in N (default ${DEFAULT-VALUE}: every one).")
    long every;

    @Option(names = "--interval", paramLabel = "DURATION", description = "Record the newest frame at most once per"
            + " DURATION (e.g. 1s); not with --every-frame.")
    Duration interval;

    @Option(names = "--every-frame", description = "Lose no frame: the solver waits for the recorder (a gating"
            + " consumer) instead of overwriting a frame it has not recorded yet.")
    boolean everyFrame;

    @Option(names = "--gate-timeout", paramLabel = "DURATION", defaultValue = "5s", description = "With --every-frame:"
            + " how long the solver waits for a stalled recorder before it drops it and goes on (default"
            + " ${DEFAULT-VALUE}; the solver keeps it within 10ms..60s).")
    Duration gateTimeout;

    @Option(names = "--fields", paramLabel = "NAME", split = ",",
            description = "Fields to record (default: all).")
    List<String> fields = List.of();

    @Option(names = "--downsample", paramLabel = "K", defaultValue = "1",
            description = "Record the mean of each K x K block of cells (default ${DEFAULT-VALUE}: every cell).")
    int downsample;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "0",
            description = "Stop after N frames (default: when the solver exits).")
    long frames;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long (e.g. 10m).")
    Duration duration;

    @Option(names = "--overwrite", description = "Replace an existing output file instead of refusing.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        Format chosen = checkOutput();
        Recorder.Settings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = progress.err();
        Recorder recorder = new Recorder(segment.path(), settings, run -> open(chosen, run), new Progress());
        RunControl control = new RunControl();
        Recorder.Result result;
        try (TerminationSignals ignored = TerminationSignals.install(control, reason -> {
            if (reason != null) { // the first signal; a later one cannot make closing the file any shorter
                err.println("heatgrid record: finishing the file after this frame");
                err.flush();
            }
        })) {
            result = recorder.run(() -> control.stopRequested() != null);
        }
        boolean interrupted = result.end() == Recorder.End.STOPPED && control.stopRequested() == StopReason.INTERRUPTED;
        if (result.run() == null) { // never attached: the sink, and so the file, was never made
            err.println("heatgrid record: nothing recorded: no segment appeared at " + segment.path()
                    + (result.end() == Recorder.End.DURATION ? " before --duration ran out" : "") + "; no file written");
            err.flush();
            return interrupted ? StopReason.INTERRUPTED.exitCode() : 1;
        }
        Recorder.Counts c = result.counts();
        out.printf("wrote %s: %d frame(s)%s, field(s) %s, %d x %d; %d skipped, %d lost; %s%n", describeOutput(chosen),
                c.recorded(), c.recorded() == 0 ? "" : " (generations " + c.first() + ".." + c.last() + ")",
                String.join(",", result.run().fields()), result.run().nx(), result.run().ny(),
                c.skipped(), c.lost(), switch (result.end()) {
                    case WRITER_EXITED -> "the solver exited";
                    case FRAMES -> "--frames reached";
                    case DURATION -> "--duration reached";
                    case STOPPED -> "stopped";
                    case SEGMENT_GONE -> "the segment was replaced or removed";
                });
        out.flush();
        if (interrupted) {
            return StopReason.INTERRUPTED.exitCode(); // as run's Ctrl-C
        }
        return everyFrame && c.lost() > 0 ? FRAMES_LOST : 0;
    }

    private Format checkOutput() throws IOException {
        if ((out == null) == (outDir == null)) {
            throw new UsageException("give exactly one of --out FILE (run.h5 or run.pvd) and --out-dir DIR");
        }
        Format byName;
        if (outDir != null) {
            byName = Format.VTK;
            if (format == Format.HDF5) {
                throw new UsageException("--out-dir is a folder of many files; an HDF5 recording is one: use --out run.h5");
            }
            Files.createDirectories(outDir);
        } else {
            byName = OutputFile.of("--out", out, List.of("h5", "hdf5", "pvd")).format().equals("pvd") ? Format.VTK
                    : Format.HDF5;
            if (format != null && format != byName) {
                throw new UsageException("--format " + format.name().toLowerCase(Locale.ROOT) + " does not match --out "
                        + out + " (" + byName.name().toLowerCase(Locale.ROOT) + ")");
            }
            if (Files.exists(out) && !overwrite) {
                throw new UsageException("--out: " + out + " exists; pass --overwrite to replace it");
            }
        }
        if (byName == Format.HDF5) {
            Hdf5Recording.libraryDescription(); // a missing library is reported before anything waits or records
            String noScales = Hdf5Recording.scalesMissing();
            if (noScales != null) {
                progress.err().println("heatgrid record: " + noScales);
                progress.err().flush();
            }
        }
        return byName;
    }

    private Recorder.Settings settings() {
        if (every < 1) {
            throw new UsageException("--every must be at least 1, not " + every);
        }
        if (downsample < 1) {
            throw new UsageException("--downsample must be at least 1, not " + downsample);
        }
        if (frames < 0) {
            throw new UsageException("--frames must not be negative");
        }
        if (everyFrame && interval != null) {
            throw new UsageException("--interval takes the newest frame now and then; --every-frame takes every one:"
                    + " choose one (--every N works with both)");
        }
        if (interval != null && every != 1) {
            throw new UsageException("--every counts generations, --interval measures time: choose one");
        }
        if (!everyFrame && spec.commandLine().getParseResult().hasMatchedOption("--gate-timeout")) {
            throw new UsageException("--gate-timeout only applies with --every-frame");
        }
        return new Recorder.Settings(fields, every, interval, downsample, frames, duration, everyFrame, gateTimeout,
                segment.allowOtherOwner());
    }

    private FrameSink open(Format chosen, RunDescription run) throws IOException {
        if (chosen == Format.HDF5) {
            return new Hdf5Recording(out, Hdf5Recording.companionXdmf(out), run, overwrite);
        }
        if (out != null) {
            String stem = out.getFileName().toString().replaceFirst("(?i)\\.pvd$", "");
            return new VtkSeries(out, out.resolveSibling(stem), stem, run);
        }
        String stem = segment.path().getFileName().toString().replaceFirst("\\.hgrid$", "");
        return new VtkSeries(outDir.resolve(stem + ".pvd"), outDir, stem, run);
    }

    private String describeOutput(Format chosen) {
        if (chosen == Format.HDF5) {
            return out + " (and " + Hdf5Recording.companionXdmf3(out).getFileName() + " for ParaView, "
                    + Hdf5Recording.companionXdmf(out).getFileName() + " for VisIt)";
        }
        return out != null ? out.toString() : outDir.toString();
    }

    /** Notices on stderr (also with --quiet), and a progress line once a second unless --quiet. */
    private final class Progress implements Recorder.Events {
        private long nextLine = System.nanoTime() + PROGRESS_NANOS;

        @Override
        public void note(String message) {
            progress.err().println("heatgrid record: " + message);
            progress.err().flush();
        }

        @Override
        public void recorded(Recorder.Counts c) {
            long now = System.nanoTime();
            if (now - nextLine < 0) {
                return;
            }
            nextLine = now + PROGRESS_NANOS;
            progress.line(String.format(Locale.ROOT, "%d frames (generation %d), %.1f frames/s, %.1f MB/s, %d skipped,"
                    + " %d lost", c.recorded(), c.last(), c.framesPerSecond(), c.megabytesPerSecond(), c.skipped(),
                    c.lost()));
        }
    }
}
