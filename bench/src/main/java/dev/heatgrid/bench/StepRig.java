package dev.heatgrid.bench;

import dev.heatgrid.segment.FrameChecksum;
import dev.heatgrid.segment.SegmentNames;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.KernelCatalog;
import dev.heatgrid.solver.RunResult;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.engine.StepEngine;
import dev.heatgrid.solver.engine.Work;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.Parameters;
import dev.heatgrid.solver.spi.StepFrame;
import dev.heatgrid.solver.spi.Stepper;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An ftcs step of an n x n grid in a real segment, set up once for the benchmarks: the segment's
 * published frame and back buffer (what the solver steps between), the ftcs stepper over a
 * {@link StepEngine}, and a plain copy of one frame between the same two buffers as the roofline.
 *
 * <p>Scenarios: {@code warm} is random data in [0, 1) with edges at 1 (nothing subnormal);
 * {@code front} is an edge at 1 diffusing into a grid at exactly 0, pre-stepped {@link #FRONT_STEPS}
 * steps so that a band of rows behind the front holds values that would be subnormal without the
 * solver's flush. Whether the kernel flushes is fixed when its classes initialise, from the system
 * property {@code heatgrid.flushSubnormals} (default true): set it before creating a rig.
 */
final class StepRig implements AutoCloseable {
    static final int FRONT_STEPS = 600;

    final int n;
    final int threads;
    private final Path dir;
    private final Path path;
    private final SolverConfig config;
    private SegmentWriter writer;
    private MemorySegment published;
    private MemorySegment back;
    private StepEngine engine;
    private Stepper stepper;
    private Arena arena;
    private Work kernel;
    private Work checksummed;
    private final long[] checksums = new long[64];

    StepRig(int n, int threads, String scenario) throws IOException {
        this.n = n;
        this.threads = threads;
        this.dir = Files.createTempDirectory(SegmentNames.defaultDirectory(), "heatgrid-bench-");
        this.path = dir.resolve("bench.hgrid");
        boolean front = scenario.equals("front");
        if (!front && !scenario.equals("warm")) {
            throw new IllegalArgumentException("scenario is '" + scenario + "'; allowed warm, front");
        }
        this.config = SolverConfig.builder()
                .size(new GridSize(n, n))
                .kernel("ftcs")
                .boundary(Boundary.parse(front ? "north=dirichlet:1,south=dirichlet:0,west=neumann,east=neumann"
                        : "dirichlet:1"))
                .initial(InitialCondition.parse(front ? "hotspot:0" : "random:42"))
                .threads(threads)
                .keep(true)
                .build();
        try (Solver prepare = Solver.create(path, config)) {
            if (front) {
                RunResult pre = prepare.run(StopCondition.steps(FRONT_STEPS));
                if (pre.stepsDone() != FRONT_STEPS) {
                    throw new IllegalStateException("pre-stepping ended early: " + pre.summary());
                }
            }
        }
    }

    /** Attaches as the writer and prepares the kernel on the segment's two buffers. */
    void attachKernel() throws IOException {
        writer = SegmentWriter.resume(path);
        published = writer.publishedField(0);
        back = writer.beginFrame().fields().get(0);
        SegmentSpec spec = writer.layout().spec();
        GridGeometry grid = new GridGeometry(spec.nx(), spec.ny(), spec.dx(), spec.dy());
        Boundary boundary = Boundary.parse(spec.boundary());
        Kernel ftcs = KernelCatalog.installed().find("ftcs");
        arena = Arena.ofShared();
        stepper = ftcs.prepare(new KernelSetup(grid, boundary, Parameters.defaults(ftcs.parameters()), spec.dt(), arena));
        StepFrame frame = new StepFrame(grid, boundary, List.of(published), List.of(back), 0, 0);
        engine = new StepEngine(threads);
        int chunk = Math.max(1, 8192 / n);
        kernel = bands((worker, first, end) -> {
            for (int y = first; y < end; y += chunk) {
                stepper.step(frame, 0, y, Math.min(end, y + chunk));
            }
        });
        // As the solver does on a publishing step: each chunk's checksum right after it is written.
        checksummed = bands((worker, first, end) -> {
            long sum = 0;
            for (int y = first; y < end; y += chunk) {
                int y1 = Math.min(end, y + chunk);
                stepper.step(frame, 0, y, y1);
                long from = (long) y * n;
                long cells = (long) (y1 - y) * n;
                sum += FrameChecksum.partial(back.asSlice(from * Double.BYTES, cells * Double.BYTES), from, cells);
            }
            checksums[worker] = sum;
        });
    }

    /** Opens the segment with a {@link Solver}, for whole published steps. */
    Solver attachSolver() throws IOException {
        return attachSolver(SolverConfig.builder().threads(threads).build());
    }

    /** Opens the segment with a {@link Solver} configured by {@code config} (threads, publish-every). */
    Solver attachSolver(SolverConfig config) throws IOException {
        return Solver.resume(path, config);
    }

    private interface Band {
        void run(int worker, int first, int end);
    }

    private Work bands(Band band) {
        return new Work() {
            @Override
            public int lines() {
                return n;
            }

            @Override
            public void run(int worker, int first, int end) {
                band.run(worker, first, end);
            }
        };
    }

    /** The roofline: one frame copied, published buffer to back buffer, one thread. */
    MemorySegment copy() {
        MemorySegment.copy(published, 0, back, 0, back.byteSize());
        return back;
    }

    /** One kernel step over the engine's workers, published frame to back buffer. */
    MemorySegment kernelStep() throws Exception {
        runOnce(kernel);
        return back;
    }

    /** One kernel step with each chunk's checksum. */
    long checksummedStep() throws Exception {
        runOnce(checksummed);
        return checksums[0] + checksums[threads - 1];
    }

    private void runOnce(Work work) throws Exception {
        boolean[] given = {false};
        engine.run(() -> {
            if (given[0]) {
                return null;
            }
            given[0] = true;
            return work;
        });
    }

    @Override
    public void close() throws IOException {
        if (engine != null) {
            engine.close();
            stepper.close();
            arena.close();
        }
        if (writer != null) {
            writer.close();
        }
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
        Files.deleteIfExists(dir);
    }
}
