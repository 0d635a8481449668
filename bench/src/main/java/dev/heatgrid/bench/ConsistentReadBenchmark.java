package dev.heatgrid.bench;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
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
 * Issue 8, item 3: a consistent read of the newest frame (copy out of the mapping, validate,
 * verify the checksum) against a plain {@link MemorySegment#copy} of the same bytes into the same
 * kind of destination, in the same run. Frames of 2 MiB (512^2) and 32 MiB (2048^2).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class ConsistentReadBenchmark {
    @Param({"512", "2048"})
    public int n;

    private Path dir;
    private SegmentWriter writer;
    private FrameReader reader;
    private Frame frame;
    private MemorySegment source;
    private MemorySegment destination;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(Path.of("/dev/shm"), "heatgrid-bench-");
        Path path = dir.resolve("read.hgrid");
        writer = SegmentWriter.create(path, SegmentSpec.of(n, n, "T"));
        MemorySegment field = writer.beginFrame().fields().get(0);
        for (long i = 0; i < (long) n * n; i++) {
            field.setAtIndex(java.lang.foreign.ValueLayout.JAVA_DOUBLE, i, Math.sin(i * 1e-3) + 300.0);
        }
        writer.publish(0, 0, "");
        reader = FrameReader.open(path);
        frame = Frame.shapedFor(reader.layout());
        source = reader.field(reader.tryOptimisticRead(), 0);
        destination = MemorySegment.ofArray(new double[n * n]);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        reader.close();
        writer.close();
        Files.deleteIfExists(dir);
    }

    /** The baseline: the same bytes, the same destination kind, no protocol. */
    @Benchmark
    public MemorySegment plainCopy() {
        MemorySegment.copy(source, 0, destination, 0, destination.byteSize());
        return destination;
    }

    /** Optimistic read: stamp, copy, validate. */
    @Benchmark
    public boolean optimisticCopy() {
        long stamp = reader.tryOptimisticRead();
        MemorySegment.copy(reader.field(stamp, 0), 0, destination, 0, destination.byteSize());
        return reader.validate(stamp);
    }

    /** {@link FrameReader#latest}: copy, validate, verify the checksum of what it copied. */
    @Benchmark
    public long latest() throws IOException {
        return reader.latest(frame);
    }
}
