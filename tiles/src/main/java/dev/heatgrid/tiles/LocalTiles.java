package dev.heatgrid.tiles;

import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SteeringClient;
import dev.heatgrid.segment.SteeringCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The tiles of a run on this host, read straight from their segments ({@code NAME.t0}, ...) like any
 * viewer reads a segment: no tile does anything for the gatherer, so none can be slowed by it.
 */
final class LocalTiles implements TileFrames {
    private final List<FrameReader> readers = new ArrayList<>();
    private final Path first;

    LocalTiles(Path base, boolean allowOtherOwner) throws IOException {
        this.first = TileRun.tilePath(base, 0);
        if (!Files.exists(first)) {
            throw new NoSuchFileException(first.toString(), null, "no tile segment " + first + ": is the tiled run "
                    + base.getFileName() + " on this host? (on another host, name its tiles by their HOST:PORTs)");
        }
        try {
            FrameReader r0 = FrameReader.open(first, allowOtherOwner);
            readers.add(r0);
            String layout = r0.layout().spec().params().get(TileRun.LAYOUT_KEY);
            if (layout == null) {
                throw new IllegalArgumentException("segment " + first + " is not a tile of a tiled run (no "
                        + TileRun.LAYOUT_KEY + ")");
            }
            int[] pq = TileLayout.parseTiles(layout);
            for (int r = 1; r < pq[0] * pq[1]; r++) {
                readers.add(FrameReader.open(TileRun.tilePath(base, r), allowOtherOwner));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public Description describe() {
        SegmentSpec s = readers.getFirst().layout().spec();
        var params = new LinkedHashMap<>(s.params());
        params.keySet().removeIf(k -> k.startsWith("tile."));
        return new Description(s.tile().globalNx(), s.tile().globalNy(), s.fields(), s.dx(), s.dy(), s.dt(), s.kernel(),
                s.boundary(), readers.size(), params);
    }

    @Override
    public Fetch fetch(long atLeast, BlockSums sums, long waitNanos) throws IOException {
        long[] steps = new long[readers.size()];
        double time = 0;
        String params = "";
        for (int t = 0; t < readers.size(); t++) {
            FrameReader r = readers.get(t);
            SegmentSpec s = r.layout().spec();
            Blocks blocks = sums.blocks();
            int[] range = blocks.of(s.tile().originX(), s.tile().originY(), s.nx(), s.ny());
            var partials = new ArrayList<double[]>();
            HeldFrames.Frame frame = HeldFrames.read(r, atLeast, waitNanos, fields -> {
                for (var field : fields) {
                    partials.add(blocks.partial(field, s.tile().originX(), s.tile().originY(), s.nx(), s.ny()));
                }
            });
            steps[t] = frame == null ? -1 : frame.step();
            if (frame != null) {
                for (int f = 0; f < partials.size(); f++) {
                    sums.add(f, range, partials.get(f));
                }
                if (t == 0) {
                    time = frame.time();
                    params = frame.params();
                }
            }
        }
        return new Fetch(steps, time, params);
    }

    @Override
    public Outcome steer(SteeringCommand command, Duration timeout) throws IOException {
        return post(first, command, timeout);
    }

    /** Posts {@code command} to the tile segment at {@code path} and waits for what its tile logged. */
    static Outcome post(Path path, SteeringCommand command, Duration timeout) throws IOException {
        try (SteeringClient client = SteeringClient.open(path)) {
            long seq = client.post(command.code(), command.key(), timeout.toMillis(), TimeUnit.MILLISECONDS,
                    command.args());
            Optional<CommandRecord> record = client.awaitResult(seq, timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (record.isEmpty()) {
                throw new IOException("tile 0 (" + path + ") did not apply the command within " + timeout.toMillis()
                        + " ms");
            }
            return new Outcome(record.get(), client.resultMessage(seq).orElse(""));
        }
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (FrameReader r : readers) {
            try {
                r.close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        readers.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
