package dev.heatgrid.tiles;

import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.solver.ProgressListener;
import dev.heatgrid.solver.RunControl;
import dev.heatgrid.solver.RunResult;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.StopReason;
import dev.heatgrid.solver.TileLink;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.FieldSpec;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.Kernel;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * One tile process of a tiled run, start to end: meet the other tiles, create (or resume) this
 * tile's segment {@code NAME.tR}, step it with the others, and leave. The segments of a tiled run
 * are kept by a fault (for {@code run --resume}), and removed at a normal end unless asked to keep.
 *
 * @param base       the run's segment name (tiles are NAME.t0, NAME.t1, ...)
 * @param px         tile columns
 * @param py         tile rows
 * @param rank       this tile
 * @param peers      UDP HOST:PORT per rank, or null for one host (IPC on the media driver in aeronDir)
 * @param aeronDir   a running media driver's directory, or null to start one in this process
 * @param timeout    how long a silent neighbour may stay silent before it counts as lost
 * @param startWait  how long to wait for every tile to start
 * @param resume     continue the tiles' segments from the newest step all of them hold
 * @param keep       keep the segments after a normal end
 */
public record TileRun(Path base, int px, int py, int rank, List<String> peers, Path aeronDir, Duration timeout,
                      Duration startWait, boolean resume, boolean keep) {
    static final String RUN_KEY = "tile.run";
    static final String LAYOUT_KEY = "tile.layout";
    static final String RANK_KEY = "tile.rank";
    /** Exit code of a tile that stopped because another tile was lost (docs/CLI.md). */
    public static final int EXIT_TILE_LOST = 3;

    /** The segment of tile {@code rank}: NAME.tR beside NAME. */
    public static Path tilePath(Path base, int rank) {
        String name = base.getFileName().toString();
        String stem = name.endsWith(".hgrid") ? name.substring(0, name.length() - ".hgrid".length()) : name;
        return base.resolveSibling(stem + ".t" + rank + ".hgrid");
    }

    /** Parses {@code PXxPY}; returns {px, py}. */
    public static int[] parseTiles(String text) {
        return TileLayout.parseTiles(text);
    }

    /** Parses {@code HOST:PORT,...}. */
    public static List<String> parsePeers(String text) {
        return Peers.parse(text);
    }

    /**
     * Frame buffers a tile segment needs so that the last step every tile completed is still in
     * every segment when a tile is lost: tiles may be up to D steps apart (D the diameter of the
     * neighbour graph), i.e. ceil(D / publishEvery) frames, plus the one being written.
     */
    public static int buffersNeeded(int px, int py, GridGeometry global, Boundary boundary, int publishEvery) {
        int d = new TileLayout(px, py, global, boundary).diameter();
        return Math.max(2, (d + publishEvery - 1) / publishEvery + 2);
    }

    /**
     * How a tile's run ended, and what its halo exchange cost.
     *
     * @param resumedFrom the step every tile restarted from (with resume; else 0)
     */
    public record Result(RunResult run, HaloStatistics halo, long resumedFrom) {
    }

    /**
     * Runs this tile; returns the run's result. A tile that fails before its first step tells the
     * other tiles why, so that they stop now instead of waiting for it ({@link Refusal}), then throws.
     *
     * @param describe how a failure reads to a person (the caller knows the options that change it):
     *                 what the other tiles are told
     */
    public Result run(SolverConfig config, StopCondition stop, RunControl control, ProgressListener listener,
                      Map<String, String> runOptions, Function<Throwable, String> describe) throws IOException {
        AeronAccess.require(); // before anything makes an Aeron buffer
        Path path = tilePath(base, rank);
        Start start;
        TileTransport transport;
        try {
            start = start(path, config, runOptions);
            transport = new TileTransport(start.where().endpoint(rank), aeronDir);
        } catch (IOException | RuntimeException e) {
            refuse(describe.apply(e));
            throw e;
        }
        Peers where = start.where();
        try (transport; TileMember member = new TileMember(start.layout(), rank, transport, where, start.radius(),
                start.evolving(), timeout)) {
            long runId = 0;
            long from = 0;
            Solver solver;
            try {
                long nonce = new java.security.SecureRandom().nextLong();
                Map<Integer, Map<String, String>> all = Handshake.meet(transport, where, rank, start.mine(), nonce,
                        startWait, member);
                runId = start.storedRun() != null ? Long.parseUnsignedLong(start.storedRun(), 16)
                        : Long.parseUnsignedLong(all.get(0).get("nonce"), 16);
                if (resume) {
                    from = commonStep(all, start.layout());
                    rewind(path, from, start.held(), config.allowOtherOwner());
                }
                member.join(runId); // before the segment is created: it records the run's id
                solver = resume ? Solver.resumeTile(path, config, member) : Solver.createTile(path, config, member);
            } catch (TileRefusedException | TileMismatchException e) {
                throw e; // every tile was told by the one that refused, or finds the difference itself
            } catch (IOException | RuntimeException e) {
                Refusal.tell(transport, where, rank, runId, describe.apply(e));
                throw e;
            }
            RunResult result;
            // Across hosts a gatherer asks the tiles for their frames (on one host it reads the segments).
            try (solver; GatherServer gathering = peers == null ? null
                    : new GatherServer(transport.aeron(), where.endpoint(rank), path, rank)) {
                member.start(solver::step);
                result = solver.run(stop, control, listener);
                member.finish(solver.step());
            } catch (TileRefusedException e) {
                // Another tile never began: a fresh segment that has not stepped holds nothing a run computed.
                if (!resume && solver.step() == 0) {
                    Files.deleteIfExists(path);
                }
                throw e;
            }
            // A normal end (a fault leaves everything as it is, for a resume).
            TileLink.MaxDelta steady = member.lastReduced();
            if (result.reason() == StopReason.STEADY_STATE && steady != null && steady.step() < result.step()) {
                result = backToSteady(path, steady.step(), result, config.allowOtherOwner());
            }
            if (!keep) {
                Files.deleteIfExists(path);
            }
            return new Result(result, member.statistics(), from);
        }
    }

    /**
     * Tells the other tiles that this one will not start, and why ({@link Refusal}). Across hosts
     * only: on one host the launcher ends the others (and IPC streams would need the run's term
     * length, not known yet).
     */
    private void refuse(String reason) {
        if (peers != null) {
            Refusal.tell(peers, rank, aeronDir, reason);
        }
    }

    /**
     * {@link #refuse(String)} for a tile that fails before its run starts (its options do not parse,
     * a file it needs is missing on its host): {@code peers} is the peer list as given (one that
     * does not parse names no one to tell). Best effort; never throws.
     */
    public static void refuse(String peers, int rank, Path aeronDir, String reason) {
        List<String> list;
        try {
            list = Peers.parse(peers);
        } catch (RuntimeException e) {
            return;
        }
        Refusal.tell(list, rank, aeronDir, reason);
    }

    /**
     * What a tile knows before it meets the others: its layout, kernel, where every tile listens,
     * the steps its segment holds (resume) and the description it announces.
     */
    private record Start(TileLayout layout, int radius, boolean[] evolving, Peers where, TreeMap<Long, Long> held,
                         Map<String, String> mine, String storedRun) {
    }

    private Start start(Path path, SolverConfig config, Map<String, String> runOptions) throws IOException {
        GridGeometry global;
        Boundary boundary;
        Kernel kernel;
        String storedRun = null;
        if (resume) {
            if (!Files.exists(path)) {
                throw new java.nio.file.NoSuchFileException(path.toString(), null, "no tile segment " + path
                        + " to resume (tile " + rank + " of " + px + "x" + py + ")");
            }
            try (FrameReader r = FrameReader.open(path, config.allowOtherOwner())) {
                SegmentSpec spec = r.layout().spec();
                global = new GridGeometry(spec.tile().globalNx(), spec.tile().globalNy(), spec.dx(), spec.dy());
                boundary = Boundary.parse(spec.boundary());
                kernel = config.catalog().find(spec.kernel());
                storedRun = spec.params().get(RUN_KEY);
                String layoutText = spec.params().get(LAYOUT_KEY);
                if (storedRun == null || !(px + "x" + py).equals(layoutText)
                        || !Integer.toString(rank).equals(spec.params().get(RANK_KEY))) {
                    throw new IllegalArgumentException("segment " + path + " is not tile " + rank + " of a " + px + "x"
                            + py + " run (it records layout " + layoutText + ", rank " + spec.params().get(RANK_KEY) + ")");
                }
            }
        } else {
            var size = config.size().orElse(SolverConfig.DEFAULT_SIZE);
            double[] spacing = config.spacing().orElse(new double[] {1, 1});
            global = new GridGeometry(size.nx(), size.ny(), spacing[0], spacing[1]);
            boundary = config.boundary().orElse(Boundary.ZERO_DIRICHLET);
            kernel = config.catalog().find(config.kernel().orElse(SolverConfig.DEFAULT_KERNEL));
        }
        TileLayout layout = new TileLayout(px, py, global, boundary);
        int radius = Solver.tileRadius(kernel);
        List<FieldSpec> fields = kernel.fields();
        boolean[] evolving = new boolean[fields.size()];
        for (int f = 0; f < evolving.length; f++) {
            evolving[f] = fields.get(f).evolving();
        }
        if (peers != null && peers.size() != layout.tiles()) {
            throw new IllegalArgumentException("the peer list names " + peers.size()
                    + (peers.size() == 1 ? " process" : " processes") + " but tiles " + layout
                    + " has " + layout.tiles() + " tiles: one HOST:PORT per tile, rank order");
        }
        if (rank < 0 || rank >= layout.tiles()) {
            throw new IllegalArgumentException("rank " + rank + " is outside " + layout + " tiles: allowed 0.."
                    + (layout.tiles() - 1));
        }
        int term = TileTransport.termLengthFor(TileMember.largestMessage(layout, radius, fields.size()));
        Peers where = peers == null ? Peers.ipc(layout.tiles(), term) : Peers.udp(peers, term);
        TreeMap<Long, Long> held = resume ? heldSteps(path, config.allowOtherOwner()) : new TreeMap<>();

        var mine = new LinkedHashMap<String, String>(runOptions);
        mine.put("rank", Integer.toString(rank));
        mine.put("layout", layout.toString());
        mine.put("grid", global.nx() + "x" + global.ny());
        mine.put("spacing", global.dx() + "," + global.dy());
        mine.put("kernel", kernel.name());
        mine.put("boundary", boundary.toString());
        if (!resume) {
            // What the kernel will be given, one key per parameter (defaults included: two builds of a
            // plug-in may default differently), so equal values typed differently agree and a
            // refusal names the parameter. A resumed tile's come from its segment, tied by the run id.
            config.kernelParameters(kernel).texts().forEach((key, value) -> mine.put("parameter " + key, value));
            mine.put("dt", config.dt().map(Object::toString).orElse("auto"));
            mine.put("heater", config.heater().map(Object::toString).orElse("none"));
        }
        mine.put("peers", peers == null ? "ipc" : String.join(",", peers));
        mine.put("resume", Boolean.toString(resume));
        if (storedRun != null) {
            mine.put("run", storedRun);
        }
        mine.put("held", held.keySet().toString().replaceAll("[\\[\\] ]", ""));

        return new Start(layout, radius, evolving, where, held, mine, storedRun);
    }

    /**
     * The tiles learn that step {@code step} was steady only once every tile's largest change of it
     * reached every tile, a few steps later: publish that step's frame again as the newest, so the
     * run ends where one process would have ended.
     */
    private static RunResult backToSteady(Path path, long step, RunResult ran, boolean allowOtherOwner)
            throws IOException {
        rewind(path, step, heldSteps(path, allowOtherOwner), allowOtherOwner);
        try (FrameReader r = FrameReader.open(path, allowOtherOwner)) {
            long stamp = r.tryOptimisticRead();
            FrameHeader h = r.header(stamp);
            if (stamp == 0 || !r.validate(stamp) || h.step() != step) {
                throw new IOException("segment " + path + " did not take step " + step + " back as its newest frame");
            }
            return new RunResult(ran.reason(), ran.stepsDone(), step, h.time(), h.generation(), ran.elapsed(), ran.mlups());
        }
    }

    /** The newest step every tile's segment holds (each tile sent the steps it holds). */
    private static long commonStep(Map<Integer, Map<String, String>> all, TileLayout layout) {
        TreeSet<Long> common = null;
        for (var e : all.values()) {
            var steps = new TreeSet<Long>();
            for (String s : e.getOrDefault("held", "").split(",")) {
                if (!s.isBlank()) {
                    steps.add(Long.parseLong(s.strip()));
                }
            }
            if (common == null) {
                common = steps;
            } else {
                common.retainAll(steps);
            }
        }
        if (common == null || common.isEmpty()) {
            throw new IllegalArgumentException("the " + layout + " tiles' segments hold no step in common (steps held: "
                    + all.values().stream().map(m -> m.get("held")).toList() + "); they cannot resume together");
        }
        return common.last();
    }

    /** Step -> generation of every complete frame the segment still holds. */
    private static TreeMap<Long, Long> heldSteps(Path path, boolean allowOtherOwner) throws IOException {
        var held = new TreeMap<Long, Long>();
        try (FrameReader r = FrameReader.open(path, allowOtherOwner)) {
            for (int k = 0; k < r.layout().buffers(); k++) {
                long seq = r.bufferSeq(k);
                if (seq > 0 && seq % 2 == 0) {
                    long generation = seq / 2;
                    held.put(r.header(generation).step(), generation);
                }
            }
        }
        return held;
    }

    /**
     * Makes the frame of {@code step} the newest one again (published anew as the next generation),
     * so the solver's resume continues from the step every tile has. Nothing happens if it already
     * is the newest.
     */
    private static void rewind(Path path, long step, TreeMap<Long, Long> held, boolean allowOtherOwner)
            throws IOException {
        if (held.lastKey() == step) {
            return;
        }
        long generation = held.get(step);
        try (FrameReader r = FrameReader.open(path, allowOtherOwner);
             SegmentWriter w = SegmentWriter.resume(path, allowOtherOwner)) {
            FrameHeader header = r.header(generation);
            int fields = r.layout().fields().size();
            var copies = new java.util.ArrayList<byte[]>();
            for (int f = 0; f < fields; f++) {
                copies.add(r.field(generation, f).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            }
            if (r.header(generation).generation() != generation) {
                throw new IOException("segment " + path + ": the frame of step " + step + " changed while it was read");
            }
            List<MemorySegment> into = w.beginFrame().fields();
            for (int f = 0; f < fields; f++) {
                MemorySegment.copy(MemorySegment.ofArray(copies.get(f)), 0, into.get(f), 0, into.get(f).byteSize());
            }
            w.publish(header.step(), header.time(), header.stats(), header.params());
        }
    }
}
