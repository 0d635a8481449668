package dev.heatgrid.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Aeron files a killed tile leaves behind (71 MiB of /dev/shm each) are removed by the next driver. */
class DriverDirectoryTest {
    @TempDir
    Path base;

    @Test
    void aDeadProcessesDirectoryIsRemovedAndNothingElse() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Path dead = Files.createDirectories(base.resolve("heatgrid-aeron-" + gone.pid() + "-0"));
        Files.write(Files.createDirectories(dead.resolve("publications")).resolve("term.logbuffer"), new byte[4096]);
        Path live = Files.createDirectories(base.resolve("heatgrid-aeron-" + ProcessHandle.current().pid() + "-3"));
        Path foreign = Files.createDirectories(base.resolve("aeron-root-someone-else"));
        Path notOurs = Files.createDirectories(base.resolve("heatgrid-aeron-notapid"));

        DriverDirectory.sweepDead(base);

        assertFalse(Files.exists(dead), "the dead process's driver files are still there");
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(foreign));
        assertTrue(Files.exists(notOurs));
    }

    @Test
    void namesCarryTheirProcess() {
        long pid = ProcessHandle.current().pid();
        assertEquals(pid, DriverDirectory.pidOf(DriverDirectory.next().getFileName().toString()));
        assertEquals(-1, DriverDirectory.pidOf("aeron-root-1234"));
        assertEquals(-1, DriverDirectory.pidOf("heatgrid-aeron-x-1"));
    }
}
