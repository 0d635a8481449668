package dev.heatgrid.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.Tile;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plug-in kernels on tiles, as a user runs them: the packaged {@code heatgrid} command
 * in JVMs of its own, the kernels from the examples' jars ({@code --kernel-jar}, or the class path),
 * {@code run --tiles PXxPY} starting one tile JVM per tile with halos over Aeron. Every field of
 * every tile's newest frame equals the same run in one process bit for bit. Tiles started with
 * another plug-in kernel, or other values of its parameters, refuse each other naming the difference.
 *
 * <p>Here and not in the cli module: the plug-ins are built by this module, which is built after
 * the command (it depends on it), so this is where both jars exist.
 */
class TiledPluginIT {
    private static final Path HEATGRID = Path.of(System.getProperty("heatgrid.jar", "../cli/target/heatgrid.jar"));
    private static final Path GRAY_SCOTT = Path.of(System.getProperty("heatgrid.gray-scott.jar",
            "target/heatgrid-examples-gray-scott.jar"));
    private static final Path EXAMPLES = Path.of(System.getProperty("heatgrid.examples.jar",
            "target/heatgrid-examples.jar"));
    private static final long SECONDS = 120;
    /**
     * Every grid here is small (at most 50x40) and a run starts up to five JVMs on two cores: C1
     * alone, whose compiles cost a fraction of C2's CPU, gives the same bits (as the cli module's
     * tiled ITs, PackagedCommand.SMALL_GRIDS). A launcher passes its JVM options on to its tiles.
     */
    private static final String SMALL_GRIDS = "-XX:TieredStopAtLevel=1";

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private record Result(int code, String out, String err) {
    }

    @Test
    void grayScottOnTwoTilesEqualsOneProcess() throws Exception {
        // The plug-in jar alone (two evolving fields u and v), periodic so u and v wrap across both tiles.
        assertTiledEqualsWhole(launcher(), "2x1", List.of("--kernel-jar", GRAY_SCOTT.toString(), "--kernel", "gray-scott",
                "--size", "48x40", "--boundary", "periodic", "--param", "feed=0.04", "--param", "kill=0.06",
                "--steps", "60"));
    }

    @Test
    void advectionDiffusionOnFourUnequalTilesEqualsOneProcess() throws Exception {
        // An upwind stencil (not symmetric: the wind picks the side), tiles of unequal size, a
        // Dirichlet edge, wraps east-west, and steps fused between publications (--publish-every 4).
        assertTiledEqualsWhole(launcher(), "2x2", List.of("--kernel-jar", EXAMPLES.toString(), "--kernel",
                "advection-diffusion", "--size", "45x38", "--init", "gaussian:8", "--boundary",
                "north=dirichlet:1,south=neumann,west=periodic,east=periodic", "--param", "vx=-1.5",
                "--steps", "41", "--publish-every", "4"));
    }

    @Test
    void variableConductivityFromTheClassPathEqualsOneProcess() throws Exception {
        // The other way of installing a plug-in (docs/KERNELS.md): its jar on the class path. The
        // launcher starts each tile JVM with its own class path, so the tiles must find it too. The
        // conductivity map depends on where a node is: a tile must take it from the global grid.
        var classPath = List.of(JvmProcess.javaCommand(), "--enable-native-access=ALL-UNNAMED",
                "--add-modules=jdk.incubator.vector", SMALL_GRIDS, "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Djava.awt.headless=true", "-cp", HEATGRID + java.io.File.pathSeparator + EXAMPLES,
                "dev.heatgrid.cli.Heatgrid");
        assertTiledEqualsWhole(classPath, "2x1", List.of("--kernel", "variable-conductivity", "--size", "50x31",
                "--init", "hotspot:2", "--boundary", "north=dirichlet:1,south=dirichlet:0,west=neumann,east=neumann",
                "--steps", "50"));
    }

    @Test
    void onTheClassPathWithoutAeronsExportTheRunSaysWhatToAdd() throws Exception {
        // java -jar takes the export Aeron's buffers need from the jar's manifest; java -cp does not.
        var classPath = List.of(JvmProcess.javaCommand(), "--enable-native-access=ALL-UNNAMED",
                "--add-modules=jdk.incubator.vector", SMALL_GRIDS, "-Djava.awt.headless=true", "-cp",
                HEATGRID + java.io.File.pathSeparator + EXAMPLES, "dev.heatgrid.cli.Heatgrid");
        Result r = exec(classPath, List.of("run", dir.resolve("noexport.hgrid").toString(), "--tiles", "2x1", "--kernel",
                "variable-conductivity", "--size", "40x30", "--steps", "5", "--quiet"));
        assertTrue(r.code() != 0, r.toString());
        List<String> lines = r.err().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(1, lines.size(), "one line: " + r.err());
        assertTrue(lines.get(0).contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"), r.err());
    }

    @Test
    void tilesStartedWithAnotherPluginKernelRefuseEachOther() throws Exception {
        var refusals = ranks(List.of("--kernel-jar", EXAMPLES.toString(), "--size", "40x30", "--boundary", "periodic"),
                List.of("--kernel", "gray-scott"), List.of("--kernel", "advection-diffusion"));
        assertRefused(refusals[0], "was started with kernel 'advection-diffusion' but this tile (rank 0) with 'gray-scott'");
        assertRefused(refusals[1], "was started with kernel 'gray-scott' but this tile (rank 1) with 'advection-diffusion'");
    }

    @Test
    void tilesStartedWithOtherPluginParametersRefuseEachOtherNamingTheParameter() throws Exception {
        var refusals = ranks(List.of("--kernel-jar", EXAMPLES.toString(), "--kernel", "gray-scott", "--size", "40x30",
                "--boundary", "periodic", "--param", "kill=0.06"), List.of("--param", "feed=0.04"),
                List.of("--param", "feed=0.05"));
        assertRefused(refusals[0], "was started with parameter feed '0.05' but this tile (rank 0) with '0.04'");
        assertRefused(refusals[1], "was started with parameter feed '0.04' but this tile (rank 1) with '0.05'");
    }

    /** Runs {@code options} tiled and in one process (both with {@code command}); compares every field of every tile. */
    private void assertTiledEqualsWhole(List<String> command, String tiles, List<String> options) throws Exception {
        Path tiled = dir.resolve("tiled.hgrid");
        var args = new ArrayList<>(List.of("run", tiled.toString(), "--tiles", tiles, "--keep", "--quiet", "--threads", "1"));
        args.addAll(options);
        Result t = exec(command, args);
        assertEquals(0, t.code(), t.toString());
        Path whole = dir.resolve("whole.hgrid");
        args = new ArrayList<>(List.of("run", whole.toString(), "--keep", "--quiet", "--threads", "2"));
        args.addAll(options);
        Result w = exec(command, args);
        assertEquals(0, w.code(), w.toString());

        Frame all = Frames.latest(whole);
        String[] pq = tiles.split("x");
        int count = Integer.parseInt(pq[0]) * Integer.parseInt(pq[1]);
        long nodes = 0;
        for (int r = 0; r < count; r++) {
            Path segment = dir.resolve("tiled.t" + r + ".hgrid");
            Tile tile;
            try (FrameReader reader = FrameReader.open(segment, false)) {
                tile = reader.layout().spec().tile();
            }
            Frame part = Frames.latest(segment);
            assertEquals(all.header().step(), part.header().step(), "tile " + r + " step");
            assertEquals(all.fieldNames(), part.fieldNames());
            for (int f = 0; f < all.fieldNames().size(); f++) {
                for (int y = 0; y < part.ny(); y++) {
                    for (int x = 0; x < part.nx(); x++) {
                        double a = part.get(f, x, y);
                        double b = all.get(f, tile.originX() + x, tile.originY() + y);
                        if (Double.doubleToRawLongBits(a) != Double.doubleToRawLongBits(b)) {
                            throw new AssertionError("field " + all.fieldNames().get(f) + " of tile " + r + " at (" + x
                                    + ", " + y + "), step " + part.header().step() + ": " + a + ", one process has " + b);
                        }
                    }
                }
            }
            nodes += (long) part.nx() * part.ny();
        }
        assertEquals((long) all.nx() * all.ny(), nodes, "the tiles cover the grid once");
    }

    /** Starts rank 0 and rank 1 of a 2x1 run on loopback with their own options; returns both results. */
    private Result[] ranks(List<String> common, List<String> rank0, List<String> rank1) throws Exception {
        String peers = "127.0.0.1:" + freeUdpPort() + ",127.0.0.1:" + freeUdpPort();
        var processes = new ArrayList<Process>();
        var files = new ArrayList<Path>();
        for (int r = 0; r < 2; r++) {
            var args = new ArrayList<>(List.of("run", dir.resolve("ranks.hgrid").toString(), "--tiles", "2x1", "--rank",
                    Integer.toString(r), "--peers", peers, "--steps", "5", "--quiet", "--threads", "1"));
            args.addAll(common);
            args.addAll(r == 0 ? rank0 : rank1);
            Path out = Files.createTempFile(dir, "rank" + r + "-", ".out");
            Path err = Files.createTempFile(dir, "rank" + r + "-", ".err");
            processes.add(new ProcessBuilder(command(launcher(), args)).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start());
            files.add(out);
            files.add(err);
        }
        var results = new Result[2];
        for (int r = 0; r < 2; r++) {
            results[r] = await(processes.get(r), files.get(2 * r), files.get(2 * r + 1));
        }
        return results;
    }

    private static void assertRefused(Result r, String reason) {
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(reason), r.err());
        assertTrue(!r.err().contains("\tat "), "stack trace: " + r.err());
    }

    /** The packaged command as users run it, {@code java -jar heatgrid.jar} (C1 alone: {@link #SMALL_GRIDS}). */
    private static List<String> launcher() {
        return List.of(JvmProcess.javaCommand(), "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector",
                SMALL_GRIDS, "-Djava.awt.headless=true", "-jar", HEATGRID.toString());
    }

    private static List<String> command(List<String> prefix, List<String> args) {
        var command = new ArrayList<>(prefix);
        command.addAll(args);
        return command;
    }

    private Result exec(List<String> prefix, List<String> args) throws Exception {
        // Output goes to files: two pipes read one after the other could fill up and stall the child.
        Path out = Files.createTempFile(dir, "heatgrid-", ".out");
        Path err = Files.createTempFile(dir, "heatgrid-", ".err");
        Process p = new ProcessBuilder(command(prefix, args)).redirectOutput(out.toFile()).redirectError(err.toFile())
                .start();
        return await(p, out, err);
    }

    private static Result await(Process p, Path out, Path err) throws Exception {
        if (!p.waitFor(SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("heatgrid did not end within " + SECONDS + " s; stderr:\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static int freeUdpPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0)) {
            return s.getLocalPort();
        }
    }
}
