package dev.heatgrid.cli;

import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.Heater;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.KernelCatalog;
import dev.heatgrid.solver.RunControl;
import dev.heatgrid.solver.RunResult;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.TerminationSignals;
import dev.heatgrid.solver.TimeStep;
import dev.heatgrid.tiles.TileLauncher;
import dev.heatgrid.tiles.TileLostException;
import dev.heatgrid.tiles.TileRun;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Kernel;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heatgrid run SEGMENT}: create (or resume) a segment and step it with a kernel. */
@Command(name = "run", description = {"Run a simulation in a segment: every published step is visible at once to"
        + " any viewer.", "Without --steps/--until/--steady/--duration it runs until Ctrl-C or 'heatgrid steer SEGMENT"
        + " stop'."},
        footer = {"", "Examples:",
                "  heatgrid run plate --size 512x512 --init gaussian --steps 20000",
                "  heatgrid run plate --boundary north=dirichlet:100,south=dirichlet:0,west=neumann,east=neumann --steady 1e-6",
                "  heatgrid run plate --keep --steps 1000; heatgrid run plate --resume --steps 1000",
                "Exit status: 0 done (also after SIGTERM), 130 after Ctrl-C, 1 if the numbers diverged or the run failed,"
                        + " 2 for a bad option."})
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    SegmentArgument segment;

    @Mixin
    BuffersOption buffers;

    @Mixin
    ProgressOutput progress;

    @Option(names = "--size", paramLabel = "NXxNY", description = "Grid size; N means NxN (default 512x512, or the"
            + " --init file's).")
    GridSize size;

    @Option(names = "--spacing", paramLabel = "DX[,DY]", description = "Node spacing in physical units (default 1).")
    String spacing;

    @Option(names = "--kernel", paramLabel = "NAME", description = "Kernel (default ftcs; see 'heatgrid kernels').")
    String kernel;

    @Option(names = "--kernel-jar", paramLabel = "JAR", description = "Also load kernels from this jar (repeatable).")
    List<Path> kernelJars = new ArrayList<>();

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "Kernel parameter (repeatable), e.g. alpha=0.5.")
    List<String> params = new ArrayList<>();

    @Option(names = "--alpha", paramLabel = "A", description = "Diffusivity (the heat kernels' alpha parameter).")
    String alpha;

    @Option(names = "--dt", paramLabel = "auto|X", description = "Time step: auto (the largest stable one) or a value.")
    TimeStep dt;

    @Option(names = "--steps", paramLabel = "N", description = "Stop after N more steps (also after --resume).")
    Long steps;

    @Option(names = "--until", paramLabel = "T", description = "Stop when simulated time reaches T.")
    Double until;

    @Option(names = "--steady", paramLabel = "TOL", description = "Stop when max |du| of a step is below TOL.")
    Double steady;

    @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this much stepping, e.g. 30s.")
    Duration duration;

    @Option(names = "--boundary", paramLabel = "SPEC", description = "dirichlet:VALUE (default dirichlet:0), neumann,"
            + " periodic, or per edge: north=...,south=...,west=...,east=...")
    Boundary boundary;

    @Option(names = "--init", paramLabel = "SPEC",
            description = "hotspot[:A] (default), gaussian[:A], sine:P,Q, random:SEED, file:PATH.csv|.npy")
    InitialCondition init;

    @Option(names = "--heater", paramLabel = "X0,Y0,X1,Y1,TEMP", description = "Hold a rectangle of nodes at TEMP.")
    Heater heater;

    @Option(names = "--threads", paramLabel = "N", description = "Worker threads (default: one per 4 Ki nodes, at most"
            + " one per processor).")
    Integer threads;

    @Option(names = "--publish-every", paramLabel = "K", description = "Publish every K steps (default 1). From K = 4,"
            + " kernels that allow it (ftcs, the examples) compute the steps in between block by block of rows while"
            + " in cache, with the same results.")
    Integer publishEvery;

    @Option(names = "--resume", description = "Continue the segment's run: grid, kernel and parameters come from it;"
            + " options given again must agree.")
    boolean resume;

    @Option(names = "--keep", description = "Keep the segment file after the run (needed for a later --resume).")
    boolean keep;

    @Option(names = "--group", paramLabel = "GROUP", description = "Let this group read the segment (mode 0640);"
            + " default: only you (0600).")
    String group;

    @Option(names = "--tiles", paramLabel = "PXxPY", description = "Split the grid into PX x PY tiles, one process"
            + " each, segments SEGMENT.t0, SEGMENT.t1, ... (docs/DISTRIBUTED.md). Without --rank: all tiles on this"
            + " host, halos over Aeron IPC.")
    String tiles;

    @Option(names = "--rank", paramLabel = "R", description = "With --tiles: run only tile R (0 = south-west, row by"
            + " row); with --peers, on several hosts.")
    Integer rank;

    @Mixin
    PeersOption peers;

    @Option(names = "--aeron-dir", paramLabel = "DIR", description = "Use the Aeron media driver running in DIR"
            + " instead of starting one in this process.")
    Path aeronDir;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "With --tiles: how long a tile may stay silent"
            + " before the others count it as lost and stop (default 5s).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (tiles != null) {
            return runTiles();
        }
        if (rank != null || peers.given() || aeronDir != null || timeout != null) {
            throw new UsageException("--rank, --peers, --aeron-dir and --timeout belong to tiled runs: add --tiles PXxPY");
        }
        SolverConfig config = config();
        StopCondition stop = stopCondition();
        Path path = segment.path();
        if (resume && !Files.exists(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString(), null, "no segment at " + path
                    + " to resume (a run leaves its segment behind only with --keep)");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = progress.err();
        var display = new ProgressDisplay(err, progress.onTerminal(), progress.quiet());
        RunControl control = new RunControl();
        RunResult result;
        try (Solver solver = resume ? Solver.resume(path, config) : Solver.create(path, config);
             TerminationSignals ignored = TerminationSignals.install(control, reason -> {
                 display.endBar();
                 err.println(reason == null ? "heatgrid run: abandoning the step in progress"
                         : "heatgrid run: stopping after this step (" + reason.name().toLowerCase(Locale.ROOT)
                         + "); press Ctrl-C again to abandon it");
                 err.flush();
             })) {
            progress.line(String.format("%s %s: %d x %d (dx %s, dy %s), kernel %s, dt %s, boundary %s, %d buffers,"
                            + " %d thread(s), publishing every %d step(s) from step %d", resume ? "resuming" : "running",
                    path, solver.grid().nx(), solver.grid().ny(), HumanFormat.number(solver.grid().dx()),
                    HumanFormat.number(solver.grid().dy()), solver.kernel().name(), HumanFormat.number(solver.dt()),
                    solver.boundary(), solver.buffers(), solver.threads(), solver.publishEvery(), solver.step()));
            result = solver.run(stop, control, display);
        }
        display.endBar();
        out.println(result.summary());
        out.flush();
        return result.exitCode();
    }

    /** A tiled run: the launcher of all tiles on this host, or one tile (--rank). */
    private int runTiles() throws Exception {
        int[] layout;
        Duration silence = timeout != null ? timeout : Duration.ofSeconds(5);
        try {
            layout = usage(() -> TileRun.parseTiles(tiles));
            if (silence.isNegative() || silence.isZero() || silence.toMillis() < 100) {
                throw new UsageException("--timeout " + HumanFormat.duration(silence.toMillis()) + ": allowed 100 ms or more");
            }
        } catch (UsageException e) {
            tellPeers(e);
            throw e;
        }
        if (rank == null) {
            if (peers.given()) {
                throw new UsageException("--peers needs --rank: start one process per host, each with its own --rank");
            }
            // What every tile would refuse, refused once here rather than once per tile.
            SolverConfig config = tileConfig(layout);
            if (!resume) { // a resumed run's kernel is the segments' and each tile reads it
                Kernel kernel = usage(() -> config.catalog().find(config.kernel().orElse(SolverConfig.DEFAULT_KERNEL)));
                usage(() -> Solver.tileRadius(kernel));
                usage(() -> {
                    Solver.checkTileThreads(kernel, config.threads());
                    return null;
                });
            }
            stopCondition();
            // Each tile is this command line again, as that tile, on the launcher's media driver (a
            // driver the user named is in the command line already: an option given twice is refused).
            List<String> given = spec.commandLine().getParseResult().originalArgs();
            return TileLauncher.launch(Heatgrid.class.getName(), (r, driverDir) -> {
                var args = new ArrayList<>(given);
                args.addAll(List.of("--rank", Integer.toString(r)));
                if (aeronDir == null) {
                    args.addAll(List.of("--aeron-dir", driverDir.toString()));
                }
                return args;
            }, layout[0] * layout[1], aeronDir, silence, line -> {
                spec.commandLine().getErr().println("heatgrid run: " + line);
                spec.commandLine().getErr().flush();
            });
        }
        if (!peers.given() && aeronDir == null) {
            throw new UsageException("--rank without --peers runs on one host and needs the media driver of its"
                    + " launcher (--aeron-dir); use --tiles alone to start all tiles here");
        }
        List<String> peerList = peers.list();
        SolverConfig config;
        StopCondition stop;
        try {
            config = tileConfig(layout);
            stop = stopCondition();
        } catch (Exception e) { // e.g. a --kernel-jar or --init file missing on this host only
            tellPeers(e);
            throw e;
        }
        var options = new java.util.LinkedHashMap<String, String>();
        options.put("stop", stop.toString());
        options.put("publish-every", Integer.toString(config.publishEvery()));
        if (!resume) { // the kernel, its parameters, grid and spacing: TileRun, as the tile will run them
            options.put("init", String.valueOf(init));
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        var display = new ProgressDisplay(err, progress.onTerminal() && rank == 0, progress.quiet() || rank != 0);
        RunControl control = new RunControl();
        TileRun run = new TileRun(segment.path(), layout[0], layout[1], rank, peerList, aeronDir, silence, Duration.ofSeconds(60),
                resume, keep);
        TileRun.Result result;
        try (TerminationSignals ignored = TerminationSignals.install(control, reason -> {
            display.endBar();
            err.println("heatgrid run: tile " + rank + ": stopping at a step all tiles agree on");
            err.flush();
        })) {
            result = run.run(config, stop, control, display, options, CommandFailureHandler::describe);
        } catch (TileLostException e) {
            display.endBar();
            err.println("heatgrid run: tile " + rank + ": " + e.getMessage() + "; segments kept: resume with"
                    + " 'heatgrid run " + segmentName() + " --resume --tiles " + tiles + " ...' on every host");
            err.flush();
            return TileRun.EXIT_TILE_LOST;
        }
        display.endBar();
        if (resume) {
            out.println("tile " + rank + ": resumed from step " + result.resumedFrom() + ", the newest step every tile held");
        }
        out.println("tile " + rank + ": " + result.run().summary());
        out.println("tile " + rank + ": " + result.halo().summary());
        out.flush();
        return result.run().exitCode();
    }

    /** The segment as the user named it (without the .hgrid the name got). */
    private String segmentName() {
        Path path = segment.path();
        String name = path.getFileName().toString();
        return path.getParent() != null && path.getParent().equals(dev.heatgrid.segment.SegmentNames.defaultDirectory())
                && name.endsWith(".hgrid") ? name.substring(0, name.length() - ".hgrid".length()) : path.toString();
    }

    /** The run's options for a tile: tile segments are always created to be kept (a fault must not lose them). */
    private SolverConfig tileConfig(int[] layout) {
        SolverConfig probe = config();
        if (!resume) {
            var size = probe.size().orElse(SolverConfig.DEFAULT_SIZE);
            double[] d = probe.spacing().orElse(new double[] {1, 1});
            int need = TileRun.buffersNeeded(layout[0], layout[1], new dev.heatgrid.solver.spi.GridGeometry(size.nx(),
                    size.ny(), d[0], d[1]), probe.boundary().orElse(Boundary.ZERO_DIRICHLET), probe.publishEvery());
            if (need > dev.heatgrid.segment.SegmentDescriptor.MAX_BUFFERS) {
                throw new UsageException("--tiles " + tiles + " lets tiles run up to " + (need - 2) + " frames apart, which"
                        + " needs " + need + " buffers per segment to keep the common step for a resume (at most "
                        + dev.heatgrid.segment.SegmentDescriptor.MAX_BUFFERS + "); publish less often (--publish-every)");
            }
            if (buffers.given() && buffers.buffers() < need) {
                throw new UsageException("--buffers " + buffers.buffers() + " is too few for --tiles " + tiles + ": a lost"
                        + " tile can leave the others " + (need - 2) + " frame(s) ahead, so a resume needs " + need);
            }
            buffers.defaultTo(need);
        }
        keepAll = true;
        return config();
    }

    private boolean keepAll;

    /**
     * A failure of this rank before its tile runs (TileRun.run tells the peers of its own): across
     * hosts, the other ranks are told why, so that they do not wait for this one. Best effort.
     */
    private void tellPeers(Exception e) {
        if (rank != null && peers.given()) {
            TileRun.refuse(peers.peers, rank, aeronDir, CommandFailureHandler.describe(e));
        }
    }

    /**
     * For a command line picocli could not parse: if it was one rank of a run across hosts
     * ({@code --rank} and {@code --peers} among its words), tells the other ranks why this one will
     * not start, so that they stop now instead of after the start-up wait. Best effort, as
     * {@link TileRun#refuse(String, int, Path, String)}; never throws.
     */
    static void refuseUnparsed(List<String> args, String reason) {
        String peerList = valueOf(args, "--peers");
        String rankText = valueOf(args, "--rank");
        String dir = valueOf(args, "--aeron-dir");
        try {
            if (peerList != null && rankText != null) {
                TileRun.refuse(peerList, Integer.parseInt(rankText), dir == null ? null : Path.of(dir), reason);
            }
        } catch (RuntimeException e) {
            // a rank or directory that does not parse either: no one can be told
        }
    }

    /** The value of {@code option} among raw arguments ({@code --x V} or {@code --x=V}), or null. */
    private static String valueOf(List<String> args, String option) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(option) && i + 1 < args.size()) {
                return args.get(i + 1);
            }
            if (arg.startsWith(option + "=")) {
                return arg.substring(option.length() + 1);
            }
        }
        return null;
    }

    private static <T> T usage(java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private SolverConfig config() {
        checkNoConflicts();
        SolverConfig.Builder b = SolverConfig.builder();
        if (!kernelJars.isEmpty()) {
            for (Path jar : kernelJars) {
                if (!Files.isRegularFile(jar)) {
                    throw new UsageException("--kernel-jar: no file " + jar);
                }
            }
            b.catalog(KernelCatalog.withJars(kernelJars));
        }
        if (size != null) {
            b.size(size);
        }
        if (spacing != null) {
            double[] d = parseSpacing(spacing);
            b.spacing(d[0], d[1]);
        }
        if (kernel != null) {
            b.kernel(kernel);
        }
        if (alpha != null) {
            b.param("alpha", alpha);
        }
        params.forEach(b::param);
        if (dt != null) {
            b.dt(dt);
        }
        if (boundary != null) {
            b.boundary(boundary);
        }
        if (init != null) {
            b.initial(init);
        }
        if (heater != null) {
            b.heater(heater);
        }
        if (threads != null) {
            b.threads(threads);
        }
        if (buffers.given()) {
            b.buffers(buffers.buffers());
        }
        if (publishEvery != null) {
            b.publishEvery(publishEvery);
        }
        if (keep || keepAll) {
            b.keep(true);
        }
        if (group != null) {
            try {
                java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            } catch (java.io.IOException e) {
                throw new UsageException("--group: no group '" + group + "' on this system");
            }
            b.group(group);
        }
        b.allowOtherOwner(segment.allowOtherOwner());
        return b.build();
    }

    /**
     * A value given twice must not silently lose one: {@code --alpha 0.5 --param alpha=0.7}, {@code --dt}
     * with {@code --param dt=}, {@code --heater} with {@code --param heater=}, or one key in two {@code --param}s.
     */
    private void checkNoConflicts() {
        var given = new java.util.LinkedHashMap<String, String>();
        if (alpha != null) {
            given.put("alpha", "--alpha " + alpha);
        }
        if (dt != null) {
            given.put("dt", "--dt " + dt);
        }
        if (heater != null) {
            given.put("heater", "--heater " + heater);
        }
        for (String p : params) {
            int eq = p.indexOf('=');
            String key = eq > 0 ? p.substring(0, eq).strip() : p;
            String earlier = given.putIfAbsent(key, "--param " + p);
            if (earlier != null) {
                throw new UsageException(earlier + " and --param " + p + " both set " + key + "; give it once");
            }
        }
    }

    private StopCondition stopCondition() {
        var conditions = new ArrayList<StopCondition>();
        if (steps != null) {
            conditions.add(StopCondition.steps(steps));
        }
        if (until != null) {
            conditions.add(StopCondition.untilTime(until));
        }
        if (steady != null) {
            conditions.add(StopCondition.steady(steady));
        }
        if (duration != null) {
            conditions.add(new StopCondition.WallClock(duration));
        }
        return switch (conditions.size()) {
            case 0 -> new StopCondition.UntilStopped();
            case 1 -> conditions.getFirst();
            default -> new StopCondition.AnyOf(conditions);
        };
    }

    private static double[] parseSpacing(String text) {
        String[] parts = text.split(",");
        try {
            double dx = Double.parseDouble(parts[0].strip());
            double dy = parts.length > 1 ? Double.parseDouble(parts[1].strip()) : dx;
            if (parts.length > 2) {
                throw new NumberFormatException();
            }
            return new double[] {dx, dy};
        } catch (NumberFormatException e) {
            throw new UsageException("--spacing: '" + text + "' is not DX or DX,DY (e.g. 0.01)");
        }
    }
}
