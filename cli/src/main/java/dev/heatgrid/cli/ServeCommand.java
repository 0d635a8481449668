package dev.heatgrid.cli;

import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.SteeringClient;
import dev.heatgrid.viewer.ColorMap;
import dev.heatgrid.viewer.ImageSize;
import dev.heatgrid.viewer.Reduction;
import dev.heatgrid.viewer.ViewerOptions;
import dev.heatgrid.web.LiveServer;
import dev.heatgrid.web.ServeOptions;
import dev.heatgrid.web.SteeringGate;
import java.io.PrintWriter;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code heatgrid serve SEGMENT}: the live heat map as a web page, for a browser on this or another machine. */
@Command(name = "serve", description = {"Serve a live page of a segment to web browsers (read-only: it never slows"
        + " the solver).",
        "From another machine: ssh -L 8080:localhost:8080 HOST, run heatgrid serve SEGMENT on HOST, open"
                + " http://localhost:8080/ here.",
        "The segment need not exist yet: the page waits for it and follows restarts."},
        footer = {"Binding beyond 127.0.0.1 (--bind) makes every request need a token: one is generated and printed"
                + " in the URL unless --token gives it.",
                "Runs until Ctrl-C (exit status 130, as for run). Exit status 1: the port is taken or the server could"
                        + " not start; 2: a bad option."})
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SEGMENT", converter = SegmentPathConverter.class,
            description = "Segment name or path.")
    Path segment;

    @Option(names = "--port", paramLabel = "N", defaultValue = "8080",
            description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address to listen on (default ${DEFAULT-VALUE}: this machine only). Anything else needs"
                    + " a token.")
    String bind;

    @Option(names = "--token", paramLabel = "SECRET",
            description = "Require ?token=SECRET on every request (default: none on 127.0.0.1, a random one otherwise).")
    String token;

    @Option(names = "--allow-steer", description = "Let the page steer the solver (pause, resume, stop, set, heat),"
            + " through the same checks as heatgrid steer.")
    boolean allowSteer;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long a steer from the page waits for the solver to apply it (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--field", paramLabel = "NAME", description = "Field shown first (default: the first).")
    String field;

    @Option(names = "--colormap", paramLabel = "NAME", defaultValue = "inferno",
            description = "Colour map shown first: inferno (default), viridis, grayscale or coolwarm; each page"
                    + " may pick another.")
    ColorMap colorMap;

    @Option(names = "--fps", paramLabel = "N", defaultValue = "30", converter = ViewCommand.FpsConverter.class,
            description = "Most frames read and sent per second (default ${DEFAULT-VALUE}); newer generations"
                    + " replace older.")
    double fps;

    @Option(names = "--reduce", paramLabel = "mean|max", defaultValue = "mean",
            description = "How grids larger than --image-size are shrunk: block mean (default) or max.")
    Reduction reduction;

    @Option(names = "--image-size", paramLabel = "WxH", defaultValue = "800x800",
            description = "Largest heat map sent to browsers, in pixels (default ${DEFAULT-VALUE}).")
    ImageSize imageSize;

    @Option(names = "--allow-other-owner", description = "Serve a segment that belongs to another user.")
    boolean allowOtherOwner;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65_535) {
            throw new UsageException("--port is " + port + "; allowed 0 (a free port) to 65535");
        }
        if (token != null && token.isBlank()) {
            throw new UsageException("--token is empty; give a secret, or leave --token out");
        }
        var view = new ViewerOptions(field, colorMap, null, fps, reduction, allowOtherOwner);
        var options = new ServeOptions(segment, bind, port, token, allowSteer ? this::steer : null, view, imageSize);
        PrintWriter err = spec.commandLine().getErr();
        boolean beyond;
        try {
            beyond = options.beyondThisMachine();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--bind: " + e.getMessage());
        }
        if (beyond) {
            if (token == null) {
                options = options.withRandomToken();
            }
            err.println("heatgrid serve: warning: --bind " + bind + " makes the page reachable from other machines;"
                    + " every request must carry the token in the URL below. Over an untrusted network prefer the"
                    + " default --bind 127.0.0.1 and ssh -L " + (port == 0 ? 8080 : port) + ":localhost:"
                    + (port == 0 ? 8080 : port) + " HOST.");
            err.flush();
        }
        LiveServer server;
        try {
            server = LiveServer.start(options);
        } catch (BindException e) {
            throw new java.io.IOException(e.getMessage() + "; choose another with --port (0 picks a free one)");
        }
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            try {
                server.close(); // close the browsers' sockets and detach from the segment before the JVM goes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        PrintWriter out = spec.commandLine().getOut();
        out.println("serving " + segment + " at " + server.url() + (allowSteer ? " (steering allowed)" : ""));
        out.flush();
        server.awaitStopped();
        return 0;
    }

    /** The page's steering: {@code heatgrid steer}'s own parser and poster. */
    private SteeringGate.Verdict steer(String action, String argument) throws java.io.IOException {
        SteerCommand.Action parsed;
        try {
            parsed = SteerCommand.parse(action, argument.isEmpty() ? List.of() : List.of(argument));
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        SteeringClient.Outcome verdict = SteerCommand.apply(segment, allowOtherOwner, parsed, timeout);
        CommandRecord r = verdict.record();
        String message = !verdict.message().isEmpty() || r.applied() ? verdict.message()
                : r.result() == CommandRecord.REFUSED ? "refused" : "the solver does not know this command";
        return new SteeringGate.Verdict(r.applied(), r.step(), message);
    }
}
