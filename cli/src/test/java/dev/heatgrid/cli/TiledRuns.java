package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameChecksum;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentLayout;
import dev.heatgrid.segment.SegmentNames;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramSocket;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the tiled-run ITs share: unique names, tile processes, waiting for steps, comparing with one process. */
final class TiledRuns {
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** Whether the long fault runs were asked for ({@code -Ptiles-long}). */
    static final boolean LONG = Boolean.getBoolean("heatgrid.tiles.long");

    private TiledRuns() {
    }

    /** A segment name no other test (of this or another build running at the same time) uses. */
    static String uniqueName(String prefix) {
        return "tiles-" + prefix + "-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1 << 24);
    }

    /** A command in the background, its output in files (no pipe can fill up and stall it). */
    record Background(Process process, Path out, Path err) {
        String stdout() throws IOException {
            return Files.readString(out, StandardCharsets.UTF_8);
        }

        String stderr() throws IOException {
            return Files.readString(err, StandardCharsets.UTF_8);
        }

        /** Waits for the end (failing after {@code seconds}) and returns the exit code. */
        int await(long seconds) throws Exception {
            assertTrue(process.waitFor(seconds, TimeUnit.SECONDS), "heatgrid did not end within " + seconds + " s; stderr:\n"
                    + stderr());
            return process.exitValue();
        }
    }

    /**
     * Runs heatgrid to its end like {@link PackagedCommand#exec(Duration, List)}: every grid of these
     * tests is small, so in JVMs with {@link PackagedCommand#SMALL_GRIDS} (the tiles of a launcher
     * get its options).
     */
    static PackagedCommand.Result exec(Duration timeout, List<String> args) throws IOException, InterruptedException {
        return PackagedCommand.exec(timeout, PackagedCommand.SMALL_GRIDS, Map.of(), true, args);
    }

    static Background start(List<String> args) throws IOException {
        return start(List.of(), args);
    }

    /** Starts heatgrid with {@code args}, prefixed by {@code wrapper} (e.g. {@code ip netns exec NS}), as {@link #exec} does. */
    static Background start(List<String> wrapper, List<String> args) throws IOException {
        Path out = Files.createTempFile("heatgrid-tiles-", ".out");
        Path err = Files.createTempFile("heatgrid-tiles-", ".err");
        out.toFile().deleteOnExit();
        err.toFile().deleteOnExit();
        var command = new java.util.ArrayList<>(wrapper);
        command.addAll(PackagedCommand.command(PackagedCommand.SMALL_GRIDS, true, args));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new Background(p, out, err);
    }

    /** The tile process of {@code rank} a launcher started (it adds {@code --rank R} to its children). */
    static ProcessHandle tileOf(Process launcher, int rank) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (ProcessHandle child : launcher.children().toList()) {
                List<String> args = List.of(child.info().arguments().orElse(new String[0]));
                int at = args.indexOf("--rank");
                if (at >= 0 && at + 1 < args.size() && args.get(at + 1).equals(Integer.toString(rank))) {
                    return child;
                }
            }
            assertTrue(launcher.isAlive(), "the launcher ended before starting tile " + rank);
            Thread.sleep(20);
        }
        throw new AssertionError("no process for tile " + rank + " after 60 s");
    }

    /** Sends a signal by name (KILL, STOP, CONT) to a process. */
    static void signal(ProcessHandle p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + p.pid());
    }

    /** The newest published step of a segment, or -1 if it has none (yet). */
    static long newestStep(String name) throws IOException {
        Path path = SegmentNames.resolve(name);
        if (!Files.exists(path)) {
            return -1;
        }
        try (FrameReader r = FrameReader.open(path)) {
            for (int tries = 0; tries < 1000; tries++) {
                long stamp = r.tryOptimisticRead();
                if (stamp == 0 && r.generation() == 0) {
                    return -1;
                }
                long step = stamp == 0 ? -1 : r.header(stamp).step();
                if (stamp != 0 && r.validate(stamp)) {
                    return step;
                }
            }
            throw new IOException("no consistent header of " + path);
        }
    }

    /** Waits until segment {@code name} has published step {@code step} or later. */
    static void awaitStep(String name, long step, Background owner) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (newestStep(name) < step) {
            assertTrue(owner.process().isAlive(), "the run ended before " + name + " reached step " + step + ":\n"
                    + owner.stderr() + owner.stdout());
            assertTrue(System.nanoTime() < deadline, name + " did not reach step " + step + " within 120 s");
            Thread.sleep(20);
        }
    }

    /** The first group of {@code regex} in {@code text}, failing with the text if it is not there. */
    static String find(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no '" + regex + "' in:\n" + text);
        return m.group(1);
    }

    /**
     * Waits until a socket of this host listens at UDP {@code port} (IPv4, {@code /proc/net/udp}):
     * {@code owner}'s tile is up and can be told something.
     */
    static void awaitUdpListener(int port, Background owner) throws Exception {
        String local = String.format(":%04X", port); // local_address is HEXIP:HEXPORT
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (Files.readAllLines(Path.of("/proc/net/udp")).stream().noneMatch(l -> l.trim().split("\\s+")[1]
                .endsWith(local))) {
            assertTrue(owner.process().isAlive(), "the run ended before it listened at UDP " + port + ":\n"
                    + owner.stderr());
            assertTrue(System.nanoTime() < deadline, "nothing listened at UDP " + port + " within 60 s");
            Thread.sleep(20);
        }
    }

    /** A UDP port nobody uses right now. */
    static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * The tiles' newest frames (segments {@code tiled.t0} ...) together equal the newest frame of
     * segment {@code whole}, bit for bit, field 0, and are all of the same step; each tile's header
     * describes its frame (min, max, checksum).
     */
    static void assertTilesEqualWhole(String tiled, int tiles, String whole) throws IOException {
        try (FrameReader all = FrameReader.open(SegmentNames.resolve(whole))) {
            long ws = all.tryOptimisticRead();
            SegmentLayout wl = all.layout();
            MemorySegment wf = all.field(ws, 0);
            long step = all.header(ws).step();
            int cells = 0;
            for (int t = 0; t < tiles; t++) {
                try (FrameReader tile = FrameReader.open(SegmentNames.resolve(tiled + ".t" + t))) {
                    long s = tile.tryOptimisticRead();
                    var spec = tile.layout().spec();
                    assertEquals(step, tile.header(s).step(), "tile " + t + " step");
                    MemorySegment f = tile.field(s, 0);
                    assertHeaderDescribes(tile.header(s).stats().get(0), f, (long) spec.nx() * spec.ny(), t);
                    for (int y = 0; y < spec.ny(); y++) {
                        for (int x = 0; x < spec.nx(); x++) {
                            double a = f.getAtIndex(CELL, (long) y * spec.nx() + x);
                            double b = wf.getAtIndex(CELL, (long) (spec.tile().originY() + y) * wl.nx()
                                    + spec.tile().originX() + x);
                            if (Double.doubleToRawLongBits(a) != Double.doubleToRawLongBits(b)) {
                                throw new AssertionError("tile " + t + " node (" + x + ", " + y + ") at step " + step
                                        + " is " + a + ", one process has " + b);
                            }
                            cells++;
                        }
                    }
                    assertTrue(tile.validate(s), "tile " + t + " changed while it was compared");
                }
            }
            assertEquals(wl.nx() * wl.ny(), cells, "the tiles cover the grid exactly once");
        }
    }

    /**
     * A tile's header describes its frame as written: the halo fix rewrites nodes after the kernel's
     * loop already recorded statistics and checksum terms for them, so those rows must be recorded again.
     */
    private static void assertHeaderDescribes(FieldStats stats, MemorySegment field, long cells, int t) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (long i = 0; i < cells; i++) {
            min = Math.min(min, field.getAtIndex(CELL, i));
            max = Math.max(max, field.getAtIndex(CELL, i));
        }
        assertEquals(FrameChecksum.of(field, cells), stats.checksum(), "tile " + t + " checksum");
        assertEquals(min, stats.min(), "tile " + t + " min");
        assertEquals(max, stats.max(), "tile " + t + " max");
    }

    /** Removes every segment whose name starts with {@code prefix}. */
    static void removeSegments(String prefix) throws IOException {
        try (var files = Files.list(SegmentNames.defaultDirectory())) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
