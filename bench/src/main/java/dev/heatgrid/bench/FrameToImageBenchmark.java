package dev.heatgrid.bench;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.viewer.ColorMap;
import dev.heatgrid.viewer.GridExtent;
import dev.heatgrid.viewer.HeatmapRenderer;
import dev.heatgrid.viewer.Reduction;
import dev.heatgrid.viewer.RenderedFrame;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 4's frame-to-image budget (512^2 within 5 ms, 2048^2 within 20 ms): the newest consistent
 * frame of a segment turned into the coloured image for a 600 x 600 pixel plot, checksum verified.
 * {@code inPlace} is what the viewer does (reduce and checksum straight from the read-only
 * mapping in one pass); {@code copyThenImage} is the simple alternative ({@link FrameReader#latest}
 * into a private copy, then reduce), measured in the same run to show what the single pass saves.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector",
        "-Djava.awt.headless=true"})
public class FrameToImageBenchmark {
    @Param({"512", "2048"})
    public int n;

    /** Block mean or max when the grid is larger than the plot. */
    @Param({"mean", "max"})
    public String reduction;

    /** The plot's data area, in pixels each way. */
    @Param({"600"})
    public int panel;

    private Path dir;
    private SegmentWriter writer;
    private FrameReader reader;
    private HeatmapRenderer renderer;
    private Frame copy;
    private GridExtent extent;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(Path.of("/dev/shm"), "heatgrid-bench-");
        Path path = dir.resolve("image.hgrid");
        writer = SegmentWriter.create(path, SegmentSpec.of(n, n, "T"));
        MemorySegment field = writer.beginFrame().fields().get(0);
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double dx = (x - n * 0.6) / n;
                double dy = (y - n * 0.4) / n;
                field.setAtIndex(ValueLayout.JAVA_DOUBLE, (long) y * n + x,
                        300 + 80 * Math.exp(-(dx * dx + dy * dy) * 40) + Math.sin(x * 0.05) * Math.cos(y * 0.03));
            }
        }
        writer.publish(0, 0, "");
        reader = FrameReader.open(path);
        renderer = new HeatmapRenderer(ColorMap.INFERNO, null, Reduction.parse(reduction));
        copy = Frame.shapedFor(reader.layout());
        extent = GridExtent.of(reader.layout().spec());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        reader.close();
        writer.close();
        Files.deleteIfExists(dir);
    }

    /** The viewer's path: one pass over the mapping, reduce + checksum, validate, colour. */
    @Benchmark
    public RenderedFrame inPlace() throws IOException {
        RenderedFrame frame = renderer.renderNewest(reader, 0, panel, panel);
        renderer.recycle(frame.image());
        return frame;
    }

    /** The simple path: copy + validate + verify the whole frame, then reduce and colour the copy. */
    @Benchmark
    public RenderedFrame copyThenImage() throws IOException {
        reader.latest(copy);
        RenderedFrame frame = renderer.render(copy, 0, extent, panel, panel);
        renderer.recycle(frame.image());
        return frame;
    }
}
