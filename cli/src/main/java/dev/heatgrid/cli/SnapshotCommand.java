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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heatgrid snapshot SEGMENT --out FILE}: the newest consistent frame, as data or a picture. */
@Command(name = "snapshot", description = {"Write the newest consistent frame (checksums verified) to a file.",
        "The format follows the extension: .png (the heat map with axes and colour bar), .csv (one row per"
                + " line), .npy (numpy.load, shape (ny, nx)), .vti (VTK ImageData for ParaView, every field)."},
        footer = {"", "Examples:", "  heatgrid snapshot plate --out t.npy", "  heatgrid snapshot plate --out t.png --field T",
                "  heatgrid snapshot plate --out t.vti"})
final class SnapshotCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SegmentArgument segment;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file: .png, .csv, .npy or .vti.")
    Path out;

    @Option(names = "--field", paramLabel = "NAME", description = "Field to write (default: the first; .vti: all).")
    String field;

    @Override
    public Integer call() throws Exception {
        OutputFile file = OutputFile.of("--out", out, List.of("png", "csv", "npy", "vti"));
        PrintWriter stdout = spec.commandLine().getOut();
        if (file.format().equals("png")) {
            Snapshot.Result result = file.write(() -> Snapshot.write(segment.path(), ViewerOptions.defaults()
                    .withField(field).withAllowOtherOwner(segment.allowOtherOwner()), out, ImageSize.DEFAULT,
                    Duration.ZERO));
            stdout.printf("wrote %s: field %s of generation %d (step %d, time %s)%n", out, result.field(),
                    result.generation(), result.step(), HumanFormat.number(result.time()));
            return 0;
        }
        try (FrameReader reader = FrameReader.open(segment.path(), segment.allowOtherOwner())) {
            int f = field == null ? 0 : reader.layout().fields().indexOf(field);
            if (f < 0) {
                throw new UsageException("--field: no field '" + field + "'; this segment has "
                        + String.join(", ", reader.layout().fields()));
            }
            Frame frame = Frame.shapedFor(reader.layout());
            reader.setMaxReadNanos(FrameReader.ONE_SHOT_MAX_READ_NANOS); // one copy, taken once: as Snapshot's
            long generation = reader.latest(frame);
            if (generation == 0) {
                throw new java.io.IOException("segment " + segment.path() + " has no published frame yet");
            }
            FrameHeader header = frame.header();
            if (file.format().equals("vti")) {
                List<String> names = field == null ? reader.layout().fields() : List.of(field);
                RunDescription run = RunDescription.of(segment.path(), reader.layout(), names, 1, false);
                List<double[]> data = names.stream().map(frame::field).toList();
                file.write(() -> {
                    VtkImageFile.write(out, run, new RecordedFrame(generation, header.step(), header.time(),
                            header.params(), data));
                    return null;
                });
                stdout.printf("wrote %s: field(s) %s of generation %d (step %d, time %s), %d x %d%n", out,
                        String.join(",", names), generation, header.step(), HumanFormat.number(header.time()),
                        frame.nx(), frame.ny());
                return 0;
            }
            double[] cells = frame.field(f);
            file.write(() -> {
                if (file.format().equals("csv")) {
                    GridFileWriter.writeCsv(out, cells, frame.nx(), frame.ny());
                } else {
                    GridFileWriter.writeNpy(out, cells, frame.nx(), frame.ny());
                }
                return null;
            });
            stdout.printf("wrote %s: field %s of generation %d (step %d, time %s), %d x %d%n", out,
                    reader.layout().fields().get(f), generation, header.step(), HumanFormat.number(header.time()),
                    frame.nx(), frame.ny());
            return 0;
        }
    }
}
