package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import io.aeron.Aeron;
import io.aeron.AeronCounters;
import io.aeron.CommonContext;
import io.aeron.driver.MediaDriver;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code run --tiles PXxPY --aeron-dir DIR} on the media driver a user started (in a JVM of its
 * own, {@code java io.aeron.driver.MediaDriver}): the tiles' halos go through that driver, the run
 * starts no driver of its own and leaves the user's running with its directory, and the result
 * equals one process bit for bit. A directory where no driver runs is refused with one line.
 */
class TiledAeronDirIT {
    private static final List<String> PROBLEM = List.of("--size", "61x37", "--init", "random:5", "--steps", "300",
            "--boundary", "north=dirichlet:2,south=neumann,west=periodic,east=periodic", "--heater", "25,10,35,20,3");

    private final String name = TiledRuns.uniqueName("aerondir");
    /** Not named heatgrid-aeron-*: that is what heatgrid calls its own drivers' directories. */
    private final Path driverDir = Path.of("/dev/shm", name + "-driver");
    private Process driver;

    @AfterEach
    void cleanUp() throws Exception {
        if (driver != null) {
            driver.destroy(); // SIGTERM: the driver shuts down cleanly
            if (!driver.waitFor(20, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        }
        if (Files.exists(driverDir)) {
            try (var files = Files.walk(driverDir)) {
                for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
        TiledRuns.removeSegments(name);
    }

    @Test
    void aTiledRunUsesTheMediaDriverTheUserStarted() throws Exception {
        startUserDriver();
        var args = new ArrayList<>(List.of("run", name, "--tiles", "2x1", "--aeron-dir", driverDir.toString(), "--keep",
                "--quiet", "--threads", "1"));
        args.addAll(PROBLEM);
        TiledRuns.Background launcher = TiledRuns.start(args);
        Set<String> tileClients = new HashSet<>();
        Set<String> ipcStreams = new HashSet<>();
        Set<Long> runPids = new HashSet<>();
        try (Aeron observer = Aeron.connect(new Aeron.Context().aeronDirectoryName(driverDir.toString()))) {
            // While the run goes on: which clients and publications the user's driver serves, and
            // whether any process of the run made a driver directory of its own.
            while (launcher.process().isAlive()) {
                runPids.add(launcher.process().pid());
                launcher.process().descendants().forEach(p -> runPids.add(p.pid()));
                observer.countersReader().forEach((value, typeId, key, label) -> {
                    if (typeId == AeronCounters.DRIVER_HEARTBEAT_TYPE_ID && key.getLong(0) != observer.clientId()) {
                        tileClients.add(label);
                    } else if (typeId == AeronCounters.DRIVER_PUBLISHER_POS_TYPE_ID && label.contains("aeron:ipc")) {
                        ipcStreams.add(label);
                    }
                });
                assertTrue(ownDriverDirectories(runPids).isEmpty(), "the run started a media driver of its own: "
                        + ownDriverDirectories(runPids));
                Thread.sleep(5);
            }
        }
        assertEquals(0, launcher.await(10), launcher.stderr() + launcher.stdout());
        System.out.printf("the user's media driver in %s served %d tile clients and the IPC publications %s%n", driverDir,
                tileClients.size(), ipcStreams);
        assertTrue(tileClients.size() >= 2, "the user's driver served no client per tile: " + tileClients);
        assertTrue(ipcStreams.size() >= 2, "no IPC publication of the halos on the user's driver: " + ipcStreams);
        assertTrue(driver.isAlive(), "the run ended the user's driver");
        assertTrue(Files.exists(driverDir.resolve("cnc.dat")), "the run removed the user's driver directory");
        assertTrue(CommonContext.isDriverActive(driverDir.toFile(), 5_000, s -> { }), "the user's driver no longer answers");

        var whole = new ArrayList<>(List.of("run", name + ".whole", "--keep", "--quiet", "--threads", "2"));
        whole.addAll(PROBLEM);
        var w = TiledRuns.exec(Duration.ofMinutes(2), whole);
        assertEquals(0, w.code(), w.toString());
        TiledRuns.assertTilesEqualWhole(name, 2, name + ".whole");
    }

    @Test
    void anAeronDirWhereNoDriverRunsIsRefusedWithOneLine() throws Exception {
        Files.createDirectories(driverDir); // a directory, but nobody started a driver in it
        for (Path dir : List.of(driverDir, driverDir.resolve("missing"))) {
            for (List<String> how : List.of(List.<String>of(), List.of("--rank", "0"))) {
                var args = new ArrayList<>(List.of("run", name, "--tiles", "2x1", "--aeron-dir", dir.toString(), "--steps",
                        "5", "--quiet"));
                args.addAll(how);
                var r = TiledRuns.exec(Duration.ofSeconds(60), args);
                assertNotEquals(0, r.code(), r.toString());
                // Refused by heatgrid on the spot, not after Aeron's own 10 s wait for a driver ("CnC file not created").
                assertEquals(1, r.err().lines().count(), "one line: " + r.err());
                assertTrue(r.err().startsWith("heatgrid run: no Aeron media driver runs in " + dir), r.err());
                assertTrue(!r.err().contains("CnC file"), r.err());
                assertTrue(!Files.exists(dir.resolve("cnc.dat")), "heatgrid started a driver in the user's directory");
                assertTrue(dir.equals(driverDir) || !Files.exists(dir), "heatgrid created " + dir);
            }
        }
    }

    /** A media driver in a JVM of its own, as a user starts one, its directory under /dev/shm. */
    private void startUserDriver() throws Exception {
        String aeronJar = Path.of(MediaDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        Path log = Files.createTempFile("heatgrid-driver-", ".log");
        log.toFile().deleteOnExit();
        driver = new ProcessBuilder(JvmProcess.javaCommand(), "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Daeron.dir=" + driverDir, "-cp", aeronJar, MediaDriver.class.getName())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(driverDir.resolve("cnc.dat")) && CommonContext.isDriverActive(driverDir.toFile(), 5_000, s -> { }))) {
            assertTrue(driver.isAlive(), "the media driver ended: " + Files.readString(log));
            assertTrue(System.nanoTime() < deadline, "no media driver in " + driverDir + " after 30 s: " + Files.readString(log));
            Thread.sleep(50);
        }
    }

    /** Driver directories heatgrid names after a process ({@code heatgrid-aeron-PID-N}) of one of {@code pids}. */
    private static List<String> ownDriverDirectories(Set<Long> pids) throws Exception {
        File[] found = new File("/dev/shm").listFiles((d, n) -> pids.stream().anyMatch(p -> n.startsWith("heatgrid-aeron-" + p + "-")));
        return found == null ? List.of() : java.util.Arrays.stream(found).map(File::getName).toList();
    }
}
