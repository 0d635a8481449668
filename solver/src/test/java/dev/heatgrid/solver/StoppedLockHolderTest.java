package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.LockHolderMain;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A steering client stopped (SIGSTOP) while it holds the segment's lock: the solver goes on after
 * the lock's lease, and a SIGINT or SIGTERM that arrives while it waits still ends the run cleanly.
 * (Before the lease the solver stopped publishing and ignored SIGINT and SIGTERM until the client was
 * continued: both bounds below were unbounded.)
 */
class StoppedLockHolderTest {
    /** The lease is 1 s (SharedLock.LEASE_NANOS); the rest is slack for a loaded machine's JVM start and scheduling. */
    private static final long RECOVERY_BOUND_MILLIS = 10_000;
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @ParameterizedTest(name = "SIG{0} while waiting")
    @CsvSource({"INT, 130, INTERRUPTED", "TERM, 0, TERMINATED"})
    void aStoppedLockHolderNeitherWedgesTheSolverNorKeepsItFromStopping(String signal, int exitCode, String reason)
            throws Exception {
        Path segment = dir.resolve("stopped.hgrid");
        try (JvmProcess solver = JvmProcess.start(List.of("--add-modules", "jdk.incubator.vector"), SolverChildMain.class,
                "create", segment.toString(), "--size=64x64", "--threads=1", "--keep=true")) {
            solver.awaitLine("READY", Duration.ofSeconds(30));
            JvmProcess holder = JvmProcess.start(LockHolderMain.class, segment.toString());
            holder.awaitLine("LOCKED", Duration.ofSeconds(30));
            holder.signal("STOP");
            long stopped = System.nanoTime();
            try (FrameReader reader = FrameReader.open(segment)) {
                long blocked = reader.generation();
                long after = reader.awaitNewer(blocked + 1, 20, TimeUnit.SECONDS);
                assertTrue(after > blocked + 1, "the solver stayed wedged behind a stopped lock holder");
            }
            long resumedMillis = (System.nanoTime() - stopped) / 1_000_000;
            holder.close();
            assertTrue(resumedMillis < RECOVERY_BOUND_MILLIS, "recovered only after " + resumedMillis + " ms");

            // Again, and this time the solver is asked to stop while it waits for the lock.
            try (JvmProcess second = JvmProcess.start(LockHolderMain.class, segment.toString())) {
                second.awaitLine("LOCKED", Duration.ofSeconds(30));
                second.signal("STOP");
                Thread.sleep(100);
                long term = System.nanoTime();
                solver.signal(signal);
                assertEquals(exitCode, solver.waitFor(Duration.ofSeconds(30)), solver.stdout() + solver.stderr());
                long stopMillis = (System.nanoTime() - term) / 1_000_000;
                assertTrue(solver.stdout().contains("RESULT reason=" + reason), solver.stdout());
                assertTrue(stopMillis < RECOVERY_BOUND_MILLIS, "stopped only after " + stopMillis + " ms");
                assertTrue(solver.stderr().contains("from live process pid " + second.pid()), solver.stderr());
                System.out.printf("stopped lock holder: the solver published again %d ms after SIGSTOP, and exited"
                        + " %d ms after SIG%s while waiting behind a second one%n", resumedMillis, stopMillis, signal);
            }
        }
    }
}
