package dev.heatgrid.bench;

import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.StopCondition;
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
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * Issue 3, performance: one ftcs step of an n x n grid in a real segment against a plain
 * {@link MemorySegment#copy} of one frame between the same two buffers (the roofline: a step reads
 * one frame and writes one). MLUPS = n^2 / (microseconds per op). See {@link StepRig}.
 * <ul>
 *   <li>{@code copyFrame}: the published frame copied into the back buffer, one thread.</li>
 *   <li>{@code kernelStep}: the ftcs stepper over {@code threads} workers, published frame to back
 *       buffer: the kernel and the engine's barrier.</li>
 *   <li>{@code kernelStepChecksummed}: the same plus each chunk's checksum right after it is written.</li>
 *   <li>{@code publishedStep}: {@code Solver.run(steps(1))}: the kernel, Dirichlet edges, statistics
 *       and checksum of each chunk while in cache, and the publication.</li>
 * </ul>
 * Run: {@code java -jar bench/target/benchmarks.jar SolverStepBenchmark} (all sizes, 1 and 2
 * threads), or e.g. {@code -p n=2048 -p threads=1,2}; the subnormal measurement:
 * {@code SolverStepBenchmark.kernelStep -p n=2048 -p scenario=warm,front -p flush=true,false}.
 * On a shared machine prefer {@link StepVsCopy}, which interleaves the operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class SolverStepBenchmark {
    @Param({"512", "2048", "4096"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    @Param({"warm"})
    public String scenario;

    @Param({"true"})
    public String flush;

    private StepRig rig;
    private Solver solver;

    @Setup(Level.Trial)
    public void setUp(BenchmarkParams benchmark) throws IOException {
        // Read once when the kernel classes initialise, which happens below, in this fresh fork.
        System.setProperty("heatgrid.flushSubnormals", flush);
        rig = new StepRig(n, threads, scenario);
        if (benchmark.getBenchmark().endsWith("publishedStep")) {
            solver = rig.attachSolver();
        } else {
            rig.attachKernel();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (solver != null) {
            solver.close();
        }
        rig.close();
    }

    @Benchmark
    public MemorySegment copyFrame() {
        return rig.copy();
    }

    @Benchmark
    public MemorySegment kernelStep() throws Exception {
        return rig.kernelStep();
    }

    @Benchmark
    public long kernelStepChecksummed() throws Exception {
        return rig.checksummedStep();
    }

    @Benchmark
    public long publishedStep() throws IOException {
        return solver.run(StopCondition.steps(1)).step();
    }
}
