package dev.heatgrid.cli;

import dev.heatgrid.record.RecordedFrame;
import dev.heatgrid.record.RunDescription;
import dev.heatgrid.record.VtkImageFile;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.viewer.ImageSize;
import dev.heatgrid.viewer.Snapshot;
import dev.heatgrid.viewer.ViewerOptions;
import java.time.Duration;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heatgrid snapshot SEGMENT --out FILE}: the newest consistent frame, as data or a picture. */
@Command(name = "snapshot", description = {"Write the newest consistent frame (checksums verified) to a file.",
        "The format follows the extension: .png (the heat map with axes and colour bar), .csv (one row per"
                + " line), .npy (numpy.load, shape (ny, nx)), .vti (VTK ImageData for ParaView, every field)."})
final class SnapshotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SEGMENT", converter = SegmentPathConverter.class,
            description = "Segment name or path.")
    Path segment;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file: .png, .csv, .npy or .vti.")
    Path out;

    @Option(names = "--field", paramLabel = "NAME", description = "Field to write (default: the first; .vti: all).")
    String field;

    @Option(names = "--allow-other-owner", description = "Read a segment that belongs to another user.")
    boolean allowOtherOwner;

    @Override
    public Integer call() throws Exception {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        String kind = name.endsWith(".csv") ? "csv" : name.endsWith(".npy") ? "npy" : name.endsWith(".png") ? "png"
                : name.endsWith(".vti") ? "vti" : null;
        if (kind == null) {
            throw new UsageException("--out: '" + out + "' has no known extension; use .png, .csv, .npy or .vti");
        }
        if (out.getParent() != null && !Files.isDirectory(out.getParent())) {
            throw new UsageException("--out: directory " + out.getParent() + " does not exist");
        }
        if (kind.equals("png")) {
            Snapshot.Result result = Snapshot.write(segment, ViewerOptions.defaults().withField(field)
                    .withAllowOtherOwner(allowOtherOwner), out, ImageSize.DEFAULT, Duration.ZERO);
            spec.commandLine().getOut().printf("wrote %s: field %s of generation %d (step %d, time %s)%n", out,
                    result.field(), result.generation(), result.step(), result.time());
            return 0;
        }
        try (FrameReader reader = FrameReader.open(segment, allowOtherOwner)) {
            int f = field == null ? 0 : reader.layout().fields().indexOf(field);
            if (f < 0) {
                throw new UsageException("--field: no field '" + field + "'; this segment has "
                        + String.join(", ", reader.layout().fields()));
            }
            Frame frame = Frame.shapedFor(reader.layout());
            long generation = reader.latest(frame);
            if (generation == 0) {
                throw new java.io.IOException("segment " + segment + " has no published frame yet");
            }
            if (kind.equals("vti")) {
                List<String> names = field == null ? reader.layout().fields() : List.of(field);
                RunDescription run = RunDescription.of(segment, reader.layout(), names, 1, false);
                List<double[]> data = names.stream().map(frame::field).toList();
                FrameHeader header = frame.header();
                VtkImageFile.write(out, run, new RecordedFrame(generation, header.step(), header.time(), header.params(),
                        data));
                spec.commandLine().getOut().printf("wrote %s: field(s) %s of generation %d (step %d, time %s), %d x %d%n",
                        out, String.join(",", names), generation, header.step(), header.time(), frame.nx(), frame.ny());
                return 0;
            }
            double[] cells = frame.field(f);
            if (kind.equals("csv")) {
                GridFileWriter.writeCsv(out, cells, frame.nx(), frame.ny());
            } else {
                GridFileWriter.writeNpy(out, cells, frame.nx(), frame.ny());
            }
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf("wrote %s: field %s of generation %d (step %d, time %s), %d x %d%n", out,
                    reader.layout().fields().get(f), generation, frame.header().step(), frame.header().time(),
                    frame.nx(), frame.ny());
            return 0;
        }
    }
}
