package dev.heatgrid.bench;

import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 13, item 4: with {@code --publish-every k} the solver may fuse the k steps between
 * publications block by block of rows while they are in cache, so a step need not stream the whole
 * grid from memory and back. {@code step}: microseconds per step of an n x n ftcs run publishing
 * every {@code publishEvery} steps (1: one step at a time; 8: temporal blocking), the publication
 * included; {@code copyFrame}: one frame copied between the segment's buffers, the naive roofline
 * (a step that streams one frame in and one out cannot be faster). MLUPS = n^2 / (us per step).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar TemporalBlockingBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class TemporalBlockingBenchmark {
    private static final int STEPS = 16;

    @Param({"2048", "4096"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    @Param({"1", "8"})
    public int publishEvery;

    private StepRig rig;
    private Solver solver;
    private Arena arena;
    private MemorySegment from;
    private MemorySegment to;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        rig = new StepRig(n, threads, "warm");
        solver = rig.attachSolver(SolverConfig.builder().threads(threads).publishEvery(publishEvery).build());
        arena = Arena.ofShared();
        from = arena.allocate((long) n * n * Double.BYTES, 4096).fill((byte) 1);
        to = arena.allocate((long) n * n * Double.BYTES, 4096).fill((byte) 0);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        solver.close();
        rig.close();
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long step() throws IOException {
        return solver.run(StopCondition.steps(STEPS)).step();
    }

    /** One frame copied, one thread: the naive roofline. */
    @Benchmark
    public MemorySegment copyFrame() {
        MemorySegment.copy(from, 0, to, 0, to.byteSize());
        return to;
    }
}
