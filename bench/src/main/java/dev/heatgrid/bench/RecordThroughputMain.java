package dev.heatgrid.bench;

import dev.heatgrid.record.FrameSink;
import dev.heatgrid.record.Hdf5Recording;
import dev.heatgrid.record.Recorder;
import dev.heatgrid.record.VtkSeries;
import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameStatistics;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How fast {@code record --every-frame} writes: a writer thread republishes a ready frame as fast as the
 * gate lets it, so the recorder sets the pace, and the recorder's frames/s and MB/s are its throughput
 * (copy, checksum verification, file format, page cache; no fsync). Args: hdf5|vtk SIZE FRAMES RUNS OUTDIR.
 * Prints one line per run and the median.
 */
public final class RecordThroughputMain {
    public static void main(String[] args) throws Exception {
        String format = args[0];
        int n = Integer.parseInt(args[1]);
        int frames = Integer.parseInt(args[2]);
        int runs = Integer.parseInt(args[3]);
        Path outDir = Path.of(args[4]);
        double[] fps = new double[runs];
        double[] mbs = new double[runs];
        for (int r = 0; r < runs; r++) {
            Path segment = Path.of("/dev/shm", "record-bench-" + ProcessHandle.current().pid() + "-" + r + ".hgrid");
            Path out = outDir.resolve("bench-" + n + "-" + r + (format.equals("hdf5") ? ".h5" : ".pvd"));
            Files.deleteIfExists(out);
            AtomicBoolean stop = new AtomicBoolean();
            try (SegmentWriter writer = SegmentWriter.create(segment, SegmentSpec.of(n, n, "T").withBuffers(3));
                 Arena arena = Arena.ofShared()) {
                MemorySegment template = arena.allocate((long) n * n * Double.BYTES, 64);
                for (long i = 0; i < (long) n * n; i++) {
                    template.setAtIndex(ValueLayout.JAVA_DOUBLE, i, Math.sin(i * 1e-3));
                }
                List<FieldStats> stats = List.of(FrameStatistics.of(template, (long) n * n, 1, 1));
                Thread producer = Thread.ofPlatform().start(() -> {
                    try {
                        while (!stop.get()) {
                            SegmentWriter.BackFrame back = writer.beginFrame();
                            MemorySegment.copy(template, 0, back.fields().get(0), 0, template.byteSize());
                            writer.publish(back.generation(), back.generation(), stats, "bench=1\n");
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                Recorder.Settings settings = new Recorder.Settings(List.of(), 1, null, 1, frames, null, true,
                        Duration.ofSeconds(30), false);
                Recorder recorder = new Recorder(segment, settings, run -> sink(format, out, run), message -> { });
                Recorder.Result result = recorder.run(() -> false);
                stop.set(true);
                producer.join();
                fps[r] = result.counts().framesPerSecond();
                mbs[r] = result.counts().megabytesPerSecond();
                System.out.printf(Locale.ROOT, "%s %dx%d run %d: %d frames, %.1f frames/s, %.0f MB/s%n", format, n, n, r,
                        result.counts().recorded(), fps[r], mbs[r]);
            }
            deleteRecursively(out);
        }
        Arrays.sort(fps);
        Arrays.sort(mbs);
        System.out.printf(Locale.ROOT, "RESULT %s %d median %.1f frames/s %.0f MB/s%n", format, n, fps[runs / 2],
                mbs[runs / 2]);
    }

    private static FrameSink sink(String format, Path out, dev.heatgrid.record.RunDescription run)
            throws java.io.IOException {
        if (format.equals("hdf5")) {
            return new Hdf5Recording(out, Hdf5Recording.companionXdmf(out), run, true);
        }
        String stem = out.getFileName().toString().replace(".pvd", "");
        return new VtkSeries(out, out.resolveSibling(stem), stem, run);
    }

    private static void deleteRecursively(Path out) throws java.io.IOException {
        var paths = new ArrayList<Path>();
        paths.add(out);
        paths.add(Hdf5Recording.companionXdmf(out));
        paths.add(Hdf5Recording.companionXdmf3(out));
        Path dir = out.resolveSibling(out.getFileName().toString().replace(".pvd", ""));
        if (Files.isDirectory(dir) && !dir.equals(out)) {
            try (var files = Files.list(dir)) {
                files.forEach(paths::add);
            }
            paths.add(dir);
        }
        for (Path p : paths) {
            Files.deleteIfExists(p);
        }
    }
}
