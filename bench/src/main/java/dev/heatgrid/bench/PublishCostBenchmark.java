package dev.heatgrid.bench;

import dev.heatgrid.segment.SegmentNames;
import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Issue 13, item 2: the fixed cost of a published step with no reader attached. A 16 x 16 grid
 * makes the stencil itself cost a fraction of a microsecond, so what is left is the engine's toll
 * per step: the barrier trip, the back buffer, the frame header and its statistics, the shared
 * lock, the release stores, the steering poll, the heartbeat, and no FUTEX_WAKE (nobody waits).
 * {@code stencilOnly} is the kernel's part: the same solver steps published once every 64, so a
 * publication is 1/64 of it. Target: publishedStep <= 2 us.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar PublishCostBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 8, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector"})
public class PublishCostBenchmark {
    private static final int STEPS = 1000;

    @Param({"16"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    private Path dir;
    private Solver everyStep;
    private Solver rarely;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory(SegmentNames.defaultDirectory(), "heatgrid-publish-cost-");
        everyStep = Solver.create(dir.resolve("every.hgrid"), config(1));
        rarely = Solver.create(dir.resolve("rarely.hgrid"), config(64));
    }

    private SolverConfig config(int publishEvery) {
        return SolverConfig.builder().size(new GridSize(n, n)).initial(InitialCondition.parse("random:3"))
                .threads(threads).publishEvery(publishEvery).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        everyStep.close();
        rarely.close();
        Files.deleteIfExists(dir);
    }

    /** One published step: stencil, statistics, checksum, header, lock, generation; per step. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long publishedStep() throws IOException {
        return everyStep.run(StopCondition.steps(STEPS)).step();
    }

    /** The same steps published once every 64: what the stencil and the barrier cost without the publication. */
    @Benchmark
    @OperationsPerInvocation(STEPS)
    public long stencilOnly() throws IOException {
        return rarely.run(StopCondition.steps(STEPS)).step();
    }
}
