package dev.heatgrid.tiles;

import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SteeringCode;
import dev.heatgrid.segment.SteeringCommand;
import io.aeron.Aeron;
import io.aeron.FragmentAssembler;
import io.aeron.Publication;
import io.aeron.Subscription;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The tile side of {@code heatgrid gather} across hosts: a thread of its own in the tile process
 * that answers a gatherer's requests by reading this tile's segment like any reader (so the step
 * loop never waits for it), reducing the frame to blocks and sending the partial sums back; and,
 * on tile 0, posting a command the gatherer relays into this tile's own segment, where it takes
 * the same path as any {@code steer}. A gatherer that reads slowly back-pressures only this thread,
 * which then drops the frame; an absent gatherer costs a poll of an empty subscription every 10 ms.
 */
final class GatherServer implements AutoCloseable {
    /** The stream a tile takes gatherer requests on (its UDP endpoint); the gatherer's replies stream. */
    static final int REQUEST_STREAM = 7090;
    static final int REPLY_STREAM = 7091;
    /** Halo values per part: 64 KiB of payload, well inside a 4 MiB term's 512 KiB messages. */
    static final int PART_VALUES = 8192;
    static final String REPLY_TERM = "|term-length=4m";
    /** How long a part may be back-pressured before the frame is dropped. */
    private static final long GIVE_UP_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final long LONGEST_WAIT_MILLIS = 10_000;

    private final Aeron aeron;
    private final Subscription requests;
    private final Path segment;
    private final int rank;
    private final Map<String, Publication> replies = new HashMap<>();
    private final Thread thread;
    private volatile boolean closing;
    private FrameReader reader;
    private UnsafeBuffer out = TileTransport.buffer(TileMessage.length(4096, PART_VALUES));

    GatherServer(Aeron aeron, Peers.Endpoint me, Path segment, int rank) {
        this.aeron = aeron;
        this.segment = segment;
        this.rank = rank;
        this.requests = aeron.addSubscription(me.channel(), REQUEST_STREAM);
        this.thread = Thread.ofPlatform().daemon().name("heatgrid-gather-server").start(this::serve);
    }

    private void serve() {
        var assembler = new FragmentAssembler((b, o, l, h) -> handle(b, o, l));
        while (!closing) {
            if (requests.poll(assembler, 4) == 0) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    private void handle(DirectBuffer b, int o, int length) {
        if (!TileMessage.valid(b, o, length)) {
            return;
        }
        Map<String, String> control = TileMessage.parseLines(TileMessage.control(b, o));
        String reply = control.get("reply");
        if (reply == null) {
            return;
        }
        long id = TileMessage.tick(b, o);
        try {
            switch (TileMessage.type(b, o)) {
                case TileMessage.GATHER_REQUEST -> {
                    long step = TileMessage.step(b, o);
                    if (step == -2) {
                        describe(reply, id);
                    } else {
                        long wait = Math.min(LONGEST_WAIT_MILLIS, Math.max(0, TileMessage.aux(b, o)));
                        sendFrame(reply, id, step, TimeUnit.MILLISECONDS.toNanos(wait),
                                Integer.parseInt(control.getOrDefault("fx", "1")),
                                Integer.parseInt(control.getOrDefault("fy", "1")));
                    }
                }
                case TileMessage.STEER -> steer(reply, id, control);
                default -> {
                }
            }
        } catch (IOException | RuntimeException e) {
            // This tile's run goes on regardless; the gatherer times out and asks again.
        }
    }

    private FrameReader reader() throws IOException {
        if (reader == null) {
            reader = FrameReader.open(segment);
        }
        return reader;
    }

    private void describe(String reply, long id) throws IOException {
        SegmentSpec s = reader().layout().spec();
        var lines = new LinkedHashMap<String, String>();
        lines.put("nx", Integer.toString(s.tile().globalNx()));
        lines.put("ny", Integer.toString(s.tile().globalNy()));
        lines.put("fields", String.join(",", s.fields()));
        lines.put("dx", Double.toString(s.dx()));
        lines.put("dy", Double.toString(s.dy()));
        lines.put("dt", Double.toString(s.dt()));
        lines.put("kernel", s.kernel());
        lines.put("boundary", s.boundary());
        lines.put("tiles", Integer.toString(tilesOf(s)));
        lines.put("params", SegmentSpec.encodeParams(s.params()));
        send(reply, TileMessage.DESCRIPTION, id, 0, 0, TileMessage.lines(lines), null, 0, 0);
    }

    private static int tilesOf(SegmentSpec s) {
        int[] pq = TileLayout.parseTiles(s.params().getOrDefault(TileRun.LAYOUT_KEY, "1x1"));
        return pq[0] * pq[1];
    }

    private void sendFrame(String reply, long id, long atLeast, long waitNanos, int fx, int fy) throws IOException {
        FrameReader r = reader();
        SegmentSpec s = r.layout().spec();
        var blocks = new Blocks(s.tile().globalNx(), s.tile().globalNy(), fx, fy);
        int[] range = blocks.of(s.tile().originX(), s.tile().originY(), s.nx(), s.ny());
        var partials = new ArrayList<double[]>();
        HeldFrames.Frame frame = HeldFrames.read(r, atLeast, waitNanos, fields -> {
            for (var field : fields) {
                partials.add(blocks.partial(field, s.tile().originX(), s.tile().originY(), s.nx(), s.ny()));
            }
        });
        var lines = new LinkedHashMap<String, String>();
        lines.put("blocks", range[0] + "," + range[1] + "," + range[2] + "," + range[3]);
        if (frame == null) {
            send(reply, TileMessage.GATHER_PART, id, -1, 0, TileMessage.lines(lines), null, 0, 0);
            return;
        }
        lines.put("time", Double.toString(frame.time()));
        lines.put("params", frame.params());
        int rowsPerPart = Math.max(1, PART_VALUES / range[2]);
        for (int f = 0; f < partials.size(); f++) {
            for (int row = 0; row < range[3]; row += rowsPerPart) {
                int rows = Math.min(rowsPerPart, range[3] - row);
                lines.put("row", Integer.toString(row));
                lines.put("rows", Integer.toString(rows));
                if (!send(reply, TileMessage.GATHER_PART, id, frame.step(), f, TileMessage.lines(lines), partials.get(f),
                        row * range[2], rows * range[2])) {
                    return; // the gatherer does not keep up: drop this frame, it will ask again
                }
            }
        }
    }

    private void steer(String reply, long id, Map<String, String> c) throws IOException {
        String[] parts = c.getOrDefault("args", "").split(",");
        double[] args = new double[parts.length == 1 && parts[0].isEmpty() ? 0 : parts.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = Double.parseDouble(parts[i]);
        }
        int code = Integer.parseInt(c.getOrDefault("code", "0"));
        var command = new SteeringCommand(0, SteeringCode.of(code), code, c.getOrDefault("key", ""), args, 0);
        String message;
        long step = -1;
        int result;
        try {
            TileFrames.Outcome outcome = LocalTiles.post(segment, command, Duration.ofMillis(
                    Long.parseLong(c.getOrDefault("timeout", "30000"))));
            step = outcome.record().step();
            result = outcome.record().result();
            message = outcome.message();
        } catch (IOException | RuntimeException e) {
            result = -1;
            message = "tile " + rank + " could not pass the command on: " + e.getMessage();
        }
        send(reply, TileMessage.STEER_RESULT, id, step, result, TileMessage.lines(Map.of("message", message)), null, 0, 0);
    }

    /** Offers one message, retrying while back-pressured for at most a second; false if given up. */
    private boolean send(String reply, int type, long id, long step, long aux, byte[] control, double[] values,
                         int from, int count) {
        Publication p = replies.computeIfAbsent(reply, ch -> aeron.addPublication(ch, REPLY_STREAM));
        int length = TileMessage.length(control.length, count);
        if (out.capacity() < length) {
            out = TileTransport.buffer(length);
        }
        TileMessage.writeHeader(out, type, 0, rank, -1, id, step, 0, control.length, count, aux);
        int at = TileMessage.writeControl(out, control);
        for (int i = 0; i < count; i++) {
            out.putDouble(at + i * Double.BYTES, values[from + i], java.nio.ByteOrder.LITTLE_ENDIAN);
        }
        long deadline = System.nanoTime() + GIVE_UP_NANOS;
        while (p.offer(out, 0, length) < 0) {
            if (closing || System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(100));
        }
        return true;
    }

    @Override
    public void close() {
        closing = true;
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        replies.values().forEach(Publication::close);
        requests.close();
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                // a reader that could not close cleanly leaves nothing behind
            }
        }
    }
}
