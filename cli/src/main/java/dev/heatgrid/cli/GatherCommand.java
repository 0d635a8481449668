package dev.heatgrid.cli;

import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.RunControl;
import dev.heatgrid.solver.TerminationSignals;
import dev.heatgrid.tiles.Gatherer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heatgrid gather SEGMENT}: one live view of a tiled run, assembled into a local segment. */
@Command(name = "gather", description = {"Assemble the newest step every tile of a tiled run has published into one"
        + " ordinary segment on this host (block means with --max-size), again and again, so view, inspect,"
        + " snapshot and any reader see the whole grid. The tiles never wait for it.",
        "Without --peers it reads the tiles' segments on this host.",
        "Commands posted to the gathered segment ('heatgrid steer SEGMENT ...') reach every tile at one agreed step."},
        footer = {"", "Examples:",
                "  heatgrid gather plate                                   # the tiles run on this host",
                "  heatgrid gather plate --peers hostA:40100,hostB:40100 --max-size 2048x2048",
                "Exit status: 0 done (--frames reached, Ctrl-C), 1 no frame within --timeout or the tiles cannot be"
                        + " reached, 2 for a bad option."})
final class GatherCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** The tiled run's name (its tiles are SEGMENT.t0, ...); the gathered segment gets this name. */
    @Mixin
    SegmentArgument segment;

    @Mixin
    PeersOption peers;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "With --peers: where the tiles' replies"
            + " arrive (default: this host's address towards the first tile, a free port).")
    String listen;

    @Option(names = "--max-size", paramLabel = "NXxNY", description = "Largest gathered grid: larger runs are"
            + " reduced by block means (default: the run's size, no reduction).")
    GridSize maxSize;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "100ms",
            description = "Shortest time between two gathered frames (default ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--frames", paramLabel = "N", description = "Stop after N gathered frames (default: until Ctrl-C).")
    Long frames;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Give up when no frame could be gathered for"
            + " this long (default: keep waiting).")
    Duration timeout;

    @Mixin
    BuffersOption buffers;

    @Option(names = "--keep", description = "Keep the gathered segment after the gatherer ends.")
    boolean keep;

    @Mixin
    ProgressOutput progress;

    @Override
    public Integer call() throws Exception {
        if (frames != null && frames < 1) {
            throw new UsageException("--frames " + frames + ": allowed 1 or more");
        }
        if (interval.isNegative()) {
            throw new UsageException("--interval " + interval + ": must not be negative");
        }
        if (listen != null && !peers.given()) {
            throw new UsageException("--listen belongs to --peers (tiles on other hosts)");
        }
        List<String> peerList = peers.list();
        if (listen != null && (listen.contains(",") || !listen.matches(".+:\\d{1,5}"))) {
            throw new UsageException("--listen: '" + listen + "' is not HOST:PORT");
        }
        PrintWriter out = spec.commandLine().getOut();
        Path path = segment.path();
        var gatherer = new Gatherer(path, maxSize == null ? Integer.MAX_VALUE : maxSize.nx(),
                maxSize == null ? Integer.MAX_VALUE : maxSize.ny(), interval, frames == null ? 0 : frames, timeout,
                buffers.buffers(), keep);
        RunControl control = new RunControl();
        Gatherer.Result result;
        try (Gatherer.Source source = peerList == null ? Gatherer.local(path, segment.allowOtherOwner())
                : Gatherer.remote(peerList, listen);
             TerminationSignals ignored = TerminationSignals.install(control, reason -> { })) {
            result = gatherer.run(source, () -> control.stopRequested() != null, progress::line);
        }
        out.printf("gathered %d frame(s) of %dx%d%s, the last of step %d%n", result.frames(), result.width(),
                result.height(), result.factorX() * result.factorY() > 1 ? " (block means of " + result.factorX() + "x"
                        + result.factorY() + ")" : "", result.lastStep());
        out.flush();
        return 0;
    }
}
