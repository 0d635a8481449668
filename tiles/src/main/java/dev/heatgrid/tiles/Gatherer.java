package dev.heatgrid.tiles;

import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.segment.SteeringCommand;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code heatgrid gather}: one live view of a tiled run. Assembles, again and again, the newest
 * step every tile has published (reduced by block means when asked) into an ordinary segment on
 * this host, which {@code view}, {@code inspect}, {@code snapshot} and any reader use as usual.
 * The tiles never wait for it: it reads their frames like any reader (from their segments on this
 * host, or through each tile's {@link GatherServer}), and when a tile moved on before its frame of
 * the wanted step could be read, it asks for a later step. Commands posted to the gathered segment
 * are handed to tile 0, agreed on by all tiles like any other, and logged here with the step every
 * tile applied them at.
 *
 * @param out      the gathered segment
 * @param maxX     the gathered grid's largest width (the run's width or more: no reduction)
 * @param interval the shortest time between two gathered frames
 * @param frames   stop after this many frames (0: until stopped)
 * @param timeout  give up when no frame could be gathered for this long (null: never)
 * @param buffers  frame buffers of the gathered segment
 * @param keep     keep the gathered segment after the gatherer ends
 */
public record Gatherer(Path out, int maxX, int maxY, Duration interval, long frames, Duration timeout, int buffers,
                       boolean keep) {
    /** How long a tile waits for a step the gatherer asks for before it sends its newest instead. */
    private static final long TILE_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final Duration STEER_TIMEOUT = Duration.ofSeconds(30);
    private static final long MAX_LEAD = 1 << 20;

    /** What a run of the gatherer did. */
    public record Result(long frames, long lastStep, int width, int height, int factorX, int factorY) {
    }

    /** Where the tiles' frames come from (see {@link #local}, {@link #remote}). */
    public static final class Source implements AutoCloseable {
        private final TileFrames tiles;

        private Source(TileFrames tiles) {
            this.tiles = tiles;
        }

        @Override
        public void close() throws IOException {
            tiles.close();
        }
    }

    /** The tiles of run {@code base} on this host, read from their segments. */
    public static Source local(Path base, boolean allowOtherOwner) throws IOException {
        return new Source(new LocalTiles(base, allowOtherOwner));
    }

    /** The tiles at {@code peers} (HOST:PORT, rank order), replies to {@code listen} (null: a free port here). */
    public static Source remote(List<String> peers, String listen) throws IOException {
        AeronAccess.require(); // before RemoteTiles makes its first buffer
        return new Source(new RemoteTiles(peers, listen));
    }

    /**
     * Gathers from {@code source} (from {@link #local} or {@link #remote}) until {@code stop} says
     * so, {@code frames} frames were gathered, or nothing could be gathered for the timeout.
     *
     * @param progress one line per noteworthy event (first frame, tiles silent, a relayed command)
     */
    public Result run(Source source, BooleanSupplier stop, Consumer<String> progress) throws IOException {
        TileFrames tiles = source.tiles;
        TileFrames.Description d = tiles.describe();
        Blocks blocks = Blocks.fitting(d.nx(), d.ny(), Math.min(maxX, d.nx()), Math.min(maxY, d.ny()));
        var params = new LinkedHashMap<>(d.params());
        params.put("gather.blocks", blocks.fx() + "x" + blocks.fy());
        params.put("gather.tiles", Integer.toString(d.tiles()));
        SegmentSpec spec = SegmentSpec.of(blocks.width(), blocks.height(), d.fields().toArray(String[]::new))
                .withBuffers(buffers)
                .withSpacing(d.dx() * blocks.fx(), d.dy() * blocks.fy(), d.dt())
                .withKernel(d.kernel(), d.boundary(), params)
                .withKeep(keep);
        var sums = new BlockSums(blocks, d.fields().size());
        try (SegmentWriter writer = SegmentWriter.create(out, spec)) {
            progress.accept(String.format(Locale.ROOT, "gathering %d tiles of a %dx%d grid into %s: %dx%d%s", d.tiles(),
                    d.nx(), d.ny(), out, blocks.width(), blocks.height(), blocks.reduces()
                            ? " (block means of " + blocks.fx() + "x" + blocks.fy() + " nodes)" : ""));
            long gathered = 0;
            long lastStep = -1;
            long atLeast = -1;
            long lead = 0;
            long lastFrameAt = System.nanoTime();
            boolean silentSaid = false;
            while (!stop.getAsBoolean() && (frames == 0 || gathered < frames)) {
                writer.heartbeat();
                relayCommands(writer, tiles, blocks, progress);
                sums.clear();
                TileFrames.Fetch fetch = tiles.fetch(atLeast, sums, TILE_WAIT_NANOS);
                long step = fetch.commonStep();
                if (step >= 0) {
                    if (step != lastStep) {
                        publish(writer, sums, d.fields().size(), step, fetch);
                        gathered++;
                        if (gathered == 1 || silentSaid) {
                            progress.accept("gathered step " + step + (silentSaid ? " (the tiles answer again)" : ""));
                        }
                        silentSaid = false;
                    }
                    lastStep = step;
                    lastFrameAt = System.nanoTime();
                    atLeast = step + 1;
                    lead = lead / 2;
                    pause(interval);
                    continue;
                }
                long newest = fetch.newestStep();
                if (newest < 0) {
                    if (!silentSaid && System.nanoTime() - lastFrameAt > TimeUnit.SECONDS.toNanos(2)) {
                        progress.accept("the tiles do not answer (stopped, or not started yet); still asking");
                        silentSaid = true;
                    }
                    atLeast = -1;
                } else {
                    // Some tile moved past the step before its frame could be read: aim further ahead.
                    lead = Math.min(MAX_LEAD, Math.max(1, lead * 2));
                    atLeast = newest + lead;
                }
                if (timeout != null && System.nanoTime() - lastFrameAt > timeout.toNanos()) {
                    throw new IOException("no frame could be gathered for " + timeout.toMillis() + " ms"
                            + (gathered == 0 ? "" : " (the last was step " + lastStep + ")"));
                }
            }
            return new Result(gathered, lastStep, blocks.width(), blocks.height(), blocks.fx(), blocks.fy());
        }
    }

    private static void publish(SegmentWriter writer, BlockSums sums, int fields, long step, TileFrames.Fetch fetch)
            throws IOException {
        List<MemorySegment> into = writer.beginFrame().fields();
        for (int f = 0; f < fields; f++) {
            sums.means(f, into.get(f));
        }
        writer.publish(step, fetch.time(), fetch.params());
    }

    /**
     * Hands every command posted to the gathered segment to the tiles and logs what they did. A heat
     * disc is given in the gathered grid's nodes, so it is scaled to the run's.
     */
    private static void relayCommands(SegmentWriter writer, TileFrames tiles, Blocks blocks, Consumer<String> progress)
            throws IOException {
        for (SteeringCommand c = writer.takeCommand(); c != null; c = writer.takeCommand()) {
            if (c.code() == null) {
                writer.recordCommand(c, -1, CommandOutcome.unknown("unknown command code " + c.rawCode()));
                continue;
            }
            SteeringCommand forwarded = c.code() == SteeringCode.HEAT ? scaledHeat(c, blocks) : c;
            CommandOutcome outcome;
            long step = -1;
            try {
                TileFrames.Outcome o = tiles.steer(forwarded, STEER_TIMEOUT);
                step = o.record().step();
                outcome = switch (o.record().result()) {
                    case CommandRecord.APPLIED -> CommandOutcome.applied(o.message());
                    case CommandRecord.REFUSED -> CommandOutcome.refused(o.message());
                    default -> CommandOutcome.unknown(o.message());
                };
            } catch (IOException e) {
                outcome = CommandOutcome.refused("the tiles did not take the command: " + e.getMessage());
            }
            writer.recordCommand(c, step, outcome);
            progress.accept("relayed " + c + " to the tiles: " + outcome.verdict().name().toLowerCase(Locale.ROOT)
                    + (step >= 0 ? " at step " + step : "") + ": " + outcome.message());
        }
    }

    /** Heat at gathered node (x, y), radius r: at the centre of that block of the run's nodes, radius r blocks. */
    private static SteeringCommand scaledHeat(SteeringCommand c, Blocks b) {
        double[] a = c.args();
        double[] scaled = a.clone();
        scaled[0] = a[0] * b.fx() + (b.fx() - 1) / 2.0;
        scaled[1] = a[1] * b.fy() + (b.fy() - 1) / 2.0;
        scaled[2] = a[2] * Math.max(b.fx(), b.fy());
        return new SteeringCommand(c.seq(), c.code(), c.rawCode(), c.key(), scaled, c.posterPid());
    }

    private static void pause(Duration d) throws IOException {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted");
        }
    }
}
