package dev.heatgrid.bench;

import dev.heatgrid.segment.FrameChecksum;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
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
 * Issue 13, item 3: the stencil's speed must not depend on what vector code the JVM ran before or
 * after it compiled. Each configuration is a fresh fork: {@code none} steps only; {@code before} runs
 * the segment's vector checksum loop for two seconds before the first step; {@code after} steps for
 * two seconds first (so the stencil is compiled), then runs the checksum loop for two seconds, then
 * is measured. {@code memory} is what the checksum loop reads: the segment's mapping (what a solver
 * checksums) or a heap copy of it (what a reader in the same JVM would). Target: kernelStep within
 * 10% of {@code none} in every configuration.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar JitSensitivityBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class JitSensitivityBenchmark {
    private static final long CHECKSUM_NANOS = TimeUnit.SECONDS.toNanos(2);

    @Param({"1024"})
    public int n;

    @Param({"none", "before", "after"})
    public String checksum;

    @Param({"native", "heap"})
    public String memory;

    private StepRig rig;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        rig = new StepRig(n, 1, "warm");
        rig.attachKernel();
        MemorySegment data = memory.equals("heap") ? MemorySegment.ofArray(new double[n * n]).copyFrom(rig.copy()) : rig.copy();
        if (checksum.equals("before")) {
            runChecksum(data);
        } else if (checksum.equals("after")) {
            long end = System.nanoTime() + CHECKSUM_NANOS;
            while (System.nanoTime() < end) {
                rig.kernelStep();
            }
            runChecksum(data);
        }
    }

    private static long runChecksum(MemorySegment data) {
        long sum = 0;
        long end = System.nanoTime() + CHECKSUM_NANOS;
        while (System.nanoTime() < end) {
            sum += FrameChecksum.of(data, data.byteSize() / Double.BYTES);
        }
        return sum;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        rig.close();
    }

    /** One ftcs step of the n x n grid, published frame to back buffer, one thread. */
    @Benchmark
    public MemorySegment kernelStep() throws Exception {
        return rig.kernelStep();
    }
}
