package dev.heatgrid.solver;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.SegmentGoneException;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.Tile;
import dev.heatgrid.segment.WriterState;
import dev.heatgrid.solver.engine.StepEngine;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.FieldSpec;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.KernelSetup;
import dev.heatgrid.solver.spi.Parameters;
import dev.heatgrid.solver.spi.Stepper;
import dev.heatgrid.solver.spi.TileLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The writer of a segment: steps its grid in place with a kernel and publishes new generations.
 * <pre>{@code
 * try (Solver solver = Solver.create(SegmentNames.resolve("plate"), config)) {   // publishes step 0
 *     RunResult result = solver.run(StopCondition.steps(1000));
 * }
 * }</pre>
 * Steps read the newest published frame (read-only) and write the segment's next buffer. With
 * {@code publishEvery} k > 1 the steps in between alternate between that buffer and one private
 * scratch frame ({@link ScratchFrame}), so the published frame is never touched and nothing is copied per step.
 * The header of every frame records the parameters in effect (kernel parameters, dt, heater), so
 * {@link #resume} continues bit for bit.
 *
 * <p>Not thread-safe, except that {@link RunControl} may stop a run from any thread.
 */
public final class Solver implements AutoCloseable {
    /** A chunk of rows this many nodes large is stepped, then fixed up and scanned while in cache. */
    static final int CHUNK_CELLS = 8192;
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);

    final SegmentWriter writer;
    final StepEngine engine;
    final int publishEvery;
    final FrameOverrides overrides;
    final RowStatistics stats;
    final boolean[] evolving;
    final int chunkRows;
    /** Where this solver's grid lies in the global grid (the whole grid unless it steps one tile). */
    final TilePlacement placement;
    /** The other tiles of the grid, or null when this solver steps the whole grid. */
    final TileLink link;
    Problem problem;
    /** The parameters in effect as frame headers record them: encoded once per change, not per publish. */
    String paramsText;
    Stepper stepper;
    /** Steps this solver computed with temporal blocking (tests check that it really happened). */
    long blockedSteps;
    /** Rows per block of temporal blocking; 0: as many as the cache holds (tests set small ones). */
    int blockRows;
    /** Step and time of the newest published frame. */
    long step;
    double time;
    private Arena stepperArena;
    private Arena scratchArena;
    private List<MemorySegment> scratch;
    private boolean closed;

    private Solver(SegmentWriter writer, Problem problem, TilePlacement placement, TileLink link, int threads,
                   int publishEvery, long step, double time) {
        this.writer = writer;
        this.problem = problem;
        this.placement = placement;
        this.link = link;
        this.publishEvery = publishEvery;
        this.step = step;
        this.time = time;
        List<FieldSpec> fields = problem.fields();
        this.evolving = new boolean[fields.size()];
        for (int f = 0; f < evolving.length; f++) {
            evolving[f] = fields.get(f).evolving();
        }
        this.overrides = new FrameOverrides(placement, evolving, problem.heater());
        this.stats = new RowStatistics(problem.grid(), fields.size());
        int unit = stats.unitRows();
        this.chunkRows = Math.max(1, CHUNK_CELLS / problem.grid().nx() / unit) * unit; // whole units (RunLoop's passes)
        prepareStepper();
        this.engine = StepEngine.forRuns(threads, placement.grid().cells()); // the nodes this process steps, as for threads
    }

    /**
     * Creates a segment for {@code config} (defaults: 512x512, ftcs, dirichlet:0, hotspot, dt auto)
     * and publishes the initial condition as step 0.
     *
     * @throws IllegalArgumentException for a setup that cannot run (unknown kernel, unstable dt,
     *                                  parameter out of range, ...), before any file is created
     * @throws IOException              if the segment cannot be created (e.g. a live writer holds it)
     */
    public static Solver create(Path path, SolverConfig config) throws IOException {
        return create(path, config, null);
    }

    /**
     * Creates the segment of one tile of a grid split over several processes: {@code config}
     * describes the whole grid (its size, boundary, heater, initial condition), {@code link} says
     * which part of it this segment holds and connects it to the other tiles. The segment records
     * its tile origin and the global size; its step 0 is the global initial condition's window.
     *
     * @throws IllegalArgumentException also if the kernel cannot run on tiles (it declares no
     *                                  stencil radius), naming the reason
     */
    public static Solver createTile(Path path, SolverConfig config, TileLink link) throws IOException {
        return create(path, config, Objects.requireNonNull(link));
    }

    private static Solver create(Path path, SolverConfig config, TileLink link) throws IOException {
        Kernel kernel = config.resolveKernel();
        InitialCondition initial = config.initial().orElse(new InitialCondition.Hotspot(1));
        GridSize size = config.size().orElse(null);
        var fileShape = initial.shape();
        if (size == null) {
            size = fileShape.orElse(SolverConfig.DEFAULT_SIZE);
        } else if (fileShape.isPresent() && !fileShape.get().equals(size)) {
            throw new SetupException(SetupException.Setting.SIZE, "size " + size + " disagrees with the initial condition "
                    + initial + ", which holds a " + fileShape.get() + " grid; without a size the run takes the file's");
        }
        double[] spacing = config.spacing().orElse(new double[]{1, 1});
        GridGeometry grid = new GridGeometry(size.nx(), size.ny(), spacing[0], spacing[1]);
        Parameters params = config.kernelParameters(kernel);
        Boundary boundary = config.boundary().orElse(Boundary.ZERO_DIRICHLET);
        kernel.validate(grid, boundary, params);
        TimeStep requested = config.dt().orElse(TimeStep.AUTO);
        double dt = requested.isAuto() ? autoDt(kernel, grid, params)
                : Problem.checkStable(kernel, grid, params, requested.value());
        Heater heater = config.heater().orElse(Heater.NONE);
        heater.checkFits(grid);
        TilePlacement placement = link == null ? TilePlacement.whole(grid, boundary) : link.placement();
        checkTileable(kernel, placement, grid, boundary);
        Problem problem = new Problem(kernel, placement.grid(), placement.edges(), params, dt, heater);

        SegmentSpec spec = SegmentSpec.of(placement.nx(), placement.ny(), kernel.fields().stream().map(FieldSpec::name)
                        .toArray(String[]::new))
                .withBuffers(config.buffers().orElse(SolverConfig.DEFAULT_BUFFERS))
                .withSpacing(grid.dx(), grid.dy(), dt)
                .withKernel(kernel.name(), boundary.toString(), creationParams(problem, link))
                .withTile(new Tile(placement.originX(), placement.originY(), grid.nx(), grid.ny()))
                .withKeep(config.keep().orElse(false));
        SegmentWriter writer = SegmentWriter.create(path, spec, config.createOptions());
        Solver solver = null;
        try {
            solver = new Solver(writer, problem, placement, link, threads(config, kernel, placement), config.publishEvery(), 0,
                    0.0);
            try {
                solver.publishInitial(initial);
            } catch (InternalError fault) {
                throw writer.explainFault(fault);
            }
            return solver;
        } catch (IOException | RuntimeException | Error e) {
            if (solver != null) {
                solver.close();
            } else {
                writer.close();
            }
            throw e;
        }
    }

    /**
     * Becomes the writer of an existing segment again and continues from its newest frame: grid,
     * kernel, boundary, parameters, dt, step and time all come from the segment. Options given in
     * {@code config} besides threads and publish-every must agree with it.
     *
     * @throws IllegalArgumentException if an option disagrees with the segment, or its kernel is
     *                                  not installed
     * @throws IOException              if the segment is missing, damaged, or a live writer holds it
     */
    public static Solver resume(Path path, SolverConfig config) throws IOException {
        return resume(path, config, null);
    }

    /**
     * Continues one tile's segment (see {@link #createTile}): the segment's tile origin and global
     * size must be the ones {@code link} places this tile at. The caller chooses which of the
     * frames the segment still holds to continue from (the step every tile has, see
     * {@link SegmentWriter}), so all tiles restart from one state.
     */
    public static Solver resumeTile(Path path, SolverConfig config, TileLink link) throws IOException {
        return resume(path, config, Objects.requireNonNull(link));
    }

    private static Solver resume(Path path, SolverConfig config, TileLink link) throws IOException {
        SegmentWriter writer = SegmentWriter.resume(path, config.allowOtherOwner());
        try {
            SegmentSpec spec = writer.layout().spec();
            ResumeCheck check = new ResumeCheck(path, spec);
            Kernel kernel;
            try {
                kernel = config.catalog().find(spec.kernel());
            } catch (IllegalArgumentException e) {
                throw new SetupException(SetupException.Setting.KERNEL_JAR, "segment " + path + " was written by kernel '"
                        + spec.kernel() + "', which is not installed here (installed: "
                        + String.join(", ", config.catalog().names()) + "); its jar is needed");
            }
            check.kernel(config.kernel().orElse(null));
            List<String> fieldNames = kernel.fields().stream().map(FieldSpec::name).toList();
            if (!fieldNames.equals(spec.fields())) {
                throw new IllegalArgumentException("segment " + path + " holds fields " + spec.fields() + " but kernel "
                        + kernel.name() + " here declares " + fieldNames + "; is it another version of the kernel?");
            }
            Tile tile = spec.tile();
            GridGeometry grid = new GridGeometry(tile.globalNx(), tile.globalNy(), spec.dx(), spec.dy());
            check.size(config.size().orElse(null));
            check.spacing(config.spacing().orElse(null));
            Boundary boundary = Boundary.parse(spec.boundary());
            check.boundary(config.boundary().orElse(null), boundary);
            TilePlacement placement = link == null ? TilePlacement.whole(grid, boundary) : link.placement();
            if (placement.originX() != tile.originX() || placement.originY() != tile.originY()
                    || placement.nx() != spec.nx() || placement.ny() != spec.ny() || placement.global().nx() != grid.nx()
                    || placement.global().ny() != grid.ny()) {
                throw new IllegalArgumentException("segment " + path + " holds a " + spec.nx() + "x" + spec.ny()
                        + " tile at (" + tile.originX() + ", " + tile.originY() + ") of a " + grid.nx() + "x" + grid.ny()
                        + " grid, but this run places it as a " + placement.nx() + "x" + placement.ny() + " tile at ("
                        + placement.originX() + ", " + placement.originY() + ") of a " + placement.global().nx() + "x"
                        + placement.global().ny() + " grid");
            }
            checkTileable(kernel, placement, grid, boundary);
            FrameHeader header = writer.publishedHeader();
            Problem problem = Problem.fromText(kernel, placement.grid(), placement.edges(), header.paramMap(), path);
            check.params(config.applyParams(problem.params(), kernel), problem.params(), config.params().keySet());
            check.dt(config.dt().orElse(null), problem.dt(), () -> autoDt(kernel, grid, problem.params()));
            check.heater(config.heater().orElse(null), problem.heater());
            check.initial(config.initial().orElse(null));
            check.buffers(config.buffers().orElse(null));
            check.keep(config.keep().orElse(null));
            kernel.validate(grid, boundary, problem.params());
            return new Solver(writer, problem, placement, link, threads(config, kernel, placement), config.publishEvery(),
                    header.step(), header.time());
        } catch (RuntimeException | Error e) {
            writer.close();
            throw e;
        }
    }

    /** The user's thread count, or one chosen by the size of what this process steps (its tile). */
    private static int threads(SolverConfig config, Kernel kernel, TilePlacement placement) {
        if (solvesLinesOnTile(kernel, placement)) {
            checkTileThreads(kernel, config.threads());
            return 1;
        }
        return config.threads().orElseGet(() -> StepEngine.threadsFor(placement.grid().cells(),
                Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Refuses more than one thread per tile for a kernel that solves lines across tiles: its solves
     * hand carries to the other tiles in one order over all of the tile's lines.
     */
    public static void checkTileThreads(Kernel kernel, Optional<Integer> threads) {
        if (continuesLines(kernel) && threads.isPresent() && threads.get() != 1) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " steps each tile with one thread (its line"
                    + " solves pass carries to the neighbouring tiles in one order); --threads " + threads.get()
                    + " is refused on tiles: use more tiles instead");
        }
    }

    /** Whether {@code kernel} steps a tile (not the whole grid) by continuing its line solves across tiles. */
    private static boolean solvesLinesOnTile(Kernel kernel, TilePlacement placement) {
        return !placement.isWhole() && continuesLines(kernel);
    }

    /** Whether {@code kernel} steps tiles by continuing its line solves across them: a declared radius comes first. */
    private static boolean continuesLines(Kernel kernel) {
        return kernel.stencilRadius().isEmpty() && kernel.solvesLinesAcrossTiles();
    }

    /**
     * How deep the halo the tiles trade before every step is: the kernel's stencil radius, or 1 for
     * a kernel that continues its line solves across tiles (it reads one node beyond its edge in its
     * explicit half steps); else the refusal every tile (and the launcher, once) gives the kernel.
     */
    public static int tileRadius(Kernel kernel) {
        if (continuesLines(kernel)) {
            return 1;
        }
        return kernel.stencilRadius().orElseThrow(() -> new IllegalArgumentException("kernel " + kernel.name()
                + " cannot run on tiles: it declares no stencil radius, i.e. one step may couple nodes far apart ("
                + kernel.description() + "), nor does it solve along lines that continue across tiles; tiled runs"
                + " need a kernel whose new node values depend only on nearby nodes, or on whole lines it solves"
                + " with carries (docs/DISTRIBUTED.md)"));
    }

    private static Map<String, String> creationParams(Problem problem, TileLink link) {
        var params = new java.util.LinkedHashMap<>(problem.paramsText());
        if (link != null) {
            params.putAll(link.segmentParams());
        }
        return params;
    }

    /**
     * Refuses a kernel that cannot step a tile: one that couples distant nodes within a step (no
     * declared stencil radius), or a radius wider than a tile.
     */
    private static void checkTileable(Kernel kernel, TilePlacement placement, GridGeometry grid, Boundary boundary) {
        if (placement.isWhole()) {
            return;
        }
        int r = tileRadius(kernel);
        if (r < 1 || placement.nx() < 2 * r || placement.ny() < 2 * r) {
            throw new IllegalArgumentException("kernel " + kernel.name() + " reaches " + r + " node(s) per step, so every"
                    + " tile needs at least " + (2 * r) + " nodes per side; this tile is " + placement.nx() + "x"
                    + placement.ny() + " (use fewer tiles or a larger grid)");
        }
    }

    private static double autoDt(Kernel kernel, GridGeometry grid, Parameters params) {
        double dt = kernel.stability().autoDt(grid, params);
        if (!(dt > 0) || Double.isInfinite(dt)) {
            throw new IllegalStateException("kernel " + kernel.name() + " chose dt " + dt + " for dt auto");
        }
        return dt;
    }

    private void publishInitial(InitialCondition initial) throws IOException {
        GridGeometry grid = problem.grid();
        List<MemorySegment> fields = writer.beginFrame().fields();
        if (placement.isWhole()) {
            fillInitial(initial, fields, grid);
        } else {
            // Kernels set up the whole grid (a conductivity map depends on where a node is), so a
            // tile computes the global initial frame once and keeps its window of it.
            GridGeometry global = placement.global();
            try (Arena arena = Arena.ofConfined()) {
                var whole = new ArrayList<MemorySegment>();
                for (int f = 0; f < fields.size(); f++) {
                    whole.add(arena.allocate(global.cells() * Double.BYTES, 4096));
                }
                fillInitial(initial, whole, global);
                for (int f = 0; f < fields.size(); f++) {
                    for (int y = 0; y < grid.ny(); y++) {
                        MemorySegment.copy(whole.get(f), global.rowOffset(placement.originY() + y)
                                + (long) placement.originX() * Double.BYTES, fields.get(f), grid.rowOffset(y),
                                (long) grid.nx() * Double.BYTES);
                    }
                }
            }
        }
        overrides.apply(fields, 0, grid.ny(), List.of());
        stats.scan(fields, 0, grid.ny());
        List<FieldSpec> specs = problem.fields();
        List<FieldStats> initialStats = stats.combine();
        for (int f = 0; f < initialStats.size(); f++) {
            FieldStats s = initialStats.get(f);
            if (!Double.isFinite(s.min()) || !Double.isFinite(s.max())) {
                throw new IllegalArgumentException("the initial condition of field " + specs.get(f).name()
                        + " holds non-finite values (min " + s.min() + ", max " + s.max() + ")");
            }
            CellValueLimit.check("the initial condition of field " + specs.get(f).name() + ": its largest magnitude",
                    Math.max(Math.abs(s.min()), Math.abs(s.max())), grid);
        }
        writer.publish(step, time, initialStats, paramsText);
    }

    private void fillInitial(InitialCondition initial, List<MemorySegment> fields, GridGeometry grid) throws IOException {
        initial.fill(fields.get(0), grid);
        List<FieldSpec> specs = problem.fields();
        for (int f = 1; f < fields.size(); f++) {
            double v = specs.get(f).initialValue();
            for (long i = 0; i < grid.cells(); i++) {
                fields.get(f).setAtIndex(CELL, i, v);
            }
        }
        problem.kernel().initialize(grid, problem.params(), fields);
    }

    /** Runs until {@code stop} holds, a steering STOP arrives, or the run is stopped otherwise. */
    public RunResult run(StopCondition stop) throws IOException {
        return run(stop, new RunControl(), ProgressListener.NONE);
    }

    /**
     * Runs until {@code stop} holds, a steering STOP arrives, or {@code control} stops it; whatever
     * ends it, steps computed since the last publication are published (unless abandoned). Steering
     * commands are taken between steps. Kernel failures propagate after the run has stopped; the
     * newest published frame stays intact in every case.
     */
    public RunResult run(StopCondition stop, RunControl control, ProgressListener listener) throws IOException {
        if (closed) {
            throw new IllegalStateException("solver is closed");
        }
        RunLoop loop;
        try {
            loop = new RunLoop(this, Objects.requireNonNull(stop), Objects.requireNonNull(control),
                    Objects.requireNonNull(listener));
            writer.setState(WriterState.RUNNING);
            writer.stopWaitingWhen(control::abandoned);
            engine.run(loop);
        } catch (InternalError fault) {
            // A fault in the mapping, from a kernel's store or a publish: the file was truncated under us.
            throw writer.explainFault(fault);
        } catch (SegmentGoneException e) {
            throw e; // nothing more to say in a header that is gone
        } catch (UncheckedIOException e) {
            // A tile lost a neighbour in the middle of a pass (a line solve's carry, see LineCarries):
            // the same fault, and the same message, as at the exchange between steps.
            writer.setState(WriterState.PAUSED);
            throw e.getCause();
        } catch (IOException | RuntimeException e) {
            writer.setState(WriterState.PAUSED);
            throw e;
        } catch (Exception e) {
            writer.setState(WriterState.PAUSED);
            throw new IOException(e);
        }
        writer.setState(WriterState.PAUSED);
        return loop.result();
    }

    /** Replaces the parameters in effect (between steps, nothing unpublished). */
    void apply(Problem next) {
        problem = next;
        prepareStepper();
    }

    private void prepareStepper() {
        paramsText = SegmentSpec.encodeParams(problem.paramsText());
        Stepper old = stepper;
        Arena oldArena = stepperArena;
        stepperArena = Arena.ofShared();
        // A kernel that solves whole lines on a tile needs the whole grid's picture (global heater, boundary)
        // and the carries to the tiles that hold the rest of its lines.
        TileLines lines = solvesLinesOnTile(problem.kernel(), placement) ? new TileLines(placement.originX(),
                placement.originY(), placement.global(), link.globalBoundary(), problem.heater().heldNodes(),
                link.carries()) : null;
        KernelSetup setup = new KernelSetup(problem.grid(), problem.boundary(), problem.params(), problem.dt(),
                overrides.heater().heldNodes(), lines, stepperArena);
        stepper = problem.kernel().prepare(setup);
        if (link != null) {
            link.prepare(problem.kernel(), setup);
        }
        if (old != null) {
            old.close();
            oldArena.close();
        }
    }

    /** Read-only views of the newest published frame's fields (the writer's, made once per buffer). */
    List<MemorySegment> publishedFields() {
        return writer.publishedFields();
    }

    /** The private frame between publications, allocated on first use. */
    List<MemorySegment> scratch() {
        if (scratch == null) {
            scratchArena = Arena.ofShared();
            scratch = ScratchFrame.map(scratchArena, evolving.length, problem.grid().cells() * Double.BYTES);
        }
        return scratch;
    }

    public Path path() {
        return writer.path();
    }

    public GridGeometry grid() {
        return problem.grid();
    }

    public Kernel kernel() {
        return problem.kernel();
    }

    public Boundary boundary() {
        return problem.boundary();
    }

    /** The kernel parameters in effect (steering may have changed them). */
    public Parameters parameters() {
        return problem.params();
    }

    /** The time step in effect. */
    public double dt() {
        return problem.dt();
    }

    public Heater heater() {
        return problem.heater();
    }

    public int threads() {
        return engine.threads();
    }

    public int publishEvery() {
        return publishEvery;
    }

    /** Frame buffers of the segment: a reader may take this many steps minus one to copy a frame. */
    public int buffers() {
        return writer.layout().buffers();
    }

    /** Step number of the newest published frame. */
    public long step() {
        return step;
    }

    /** Simulated time of the newest published frame. */
    public double time() {
        return time;
    }

    /** Generation of the newest published frame. */
    public long generation() {
        return writer.generation();
    }

    /**
     * Stops the workers and leaves the writer role: the segment says EXITED, its newest published
     * frame is final, and it is removed unless it was created to be kept or others are attached.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (engine != null) {
                engine.close();
            }
            stepper.close();
            stepperArena.close();
            if (scratchArena != null) {
                scratchArena.close();
            }
        } finally {
            writer.close();
        }
    }
}
