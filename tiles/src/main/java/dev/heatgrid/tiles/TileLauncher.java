package dev.heatgrid.tiles;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * All tiles of a run on one host, as {@code mpirun -np} would: one solver process per tile, all on
 * one Aeron media driver (started here unless the directory of a running one is given), halos over
 * IPC. Each child runs this JVM's main class again with the arguments the caller gives for its rank
 * and the driver's directory; their output goes straight to this terminal. Ctrl-C reaches every child (one process
 * group), SIGTERM to this process is passed on.
 *
 * <p>When a tile ends badly the others normally notice within the silence timeout and stop by
 * themselves (exit 3, naming the lost tile); the launcher reports a child that died by a signal,
 * and ends any child still running {@link #GRACE} after the timeout (a stopped or stuck process:
 * its segment is kept). The exit status is 3 if any tile stopped for a lost tile, else the worst child's.
 */
public final class TileLauncher {
    /** How long after the silence timeout the launcher still waits for tiles to stop by themselves. */
    static final Duration GRACE = Duration.ofSeconds(10);

    private TileLauncher() {
    }

    /**
     * @param mainClass the CLI's main class
     * @param childArgs a child's arguments, given its rank and the media driver's directory
     * @param timeout   the tiles' silence timeout
     */
    public static int launch(String mainClass, BiFunction<Integer, Path, List<String>> childArgs, int tiles,
                             Path aeronDir, Duration timeout, Consumer<String> report)
            throws IOException, InterruptedException {
        AeronAccess.require();
        MediaDriver driver = null;
        Path dir = aeronDir;
        if (dir != null) {
            RunningDriver.require(dir); // once here, rather than once per tile
        } else {
            driver = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(DriverDirectory.next().toString())
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
                            TimeUnit.MILLISECONDS.toNanos(1)))
                    .errorHandler(TileTransport.quietErrors(report))
                    .dirDeleteOnStart(true)
                    .dirDeleteOnShutdown(true));
            dir = Path.of(driver.aeronDirectoryName());
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        var children = new ArrayList<Process>();
        Thread forward = new Thread(() -> children.forEach(Process::destroy));
        Runtime.getRuntime().addShutdownHook(forward);
        try {
            for (int r = 0; r < tiles; r++) {
                var command = new ArrayList<String>();
                command.add(java);
                command.addAll(jvm);
                // A jar's Add-Exports manifest entry does not reach a JVM started with -cp: say it here.
                command.add("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
                command.add("-cp");
                command.add(System.getProperty("java.class.path"));
                command.add(mainClass);
                command.addAll(childArgs.apply(r, dir));
                children.add(new ProcessBuilder(command).inheritIO().start());
            }
            return awaitAll(children, timeout, report);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(forward);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs
            }
            if (driver != null) {
                driver.close();
            }
        }
    }

    private static int awaitAll(List<Process> children, Duration timeout, Consumer<String> report)
            throws InterruptedException {
        int[] codes = new int[children.size()];
        boolean[] done = new boolean[children.size()];
        long giveUpAt = Long.MAX_VALUE;
        int running = children.size();
        while (running > 0) {
            for (int r = 0; r < children.size(); r++) {
                Process p = children.get(r);
                if (done[r] || !p.waitFor(20, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                done[r] = true;
                running--;
                codes[r] = p.exitValue();
                if (codes[r] > 128 && codes[r] < 160) {
                    report.accept("tile " + r + " (pid " + p.pid() + ") was ended by signal " + (codes[r] - 128) + " ("
                            + signalName(codes[r] - 128) + ")");
                }
                if (codes[r] != 0 && giveUpAt == Long.MAX_VALUE) {
                    giveUpAt = System.nanoTime() + timeout.toNanos() + GRACE.toNanos();
                }
            }
            if (running > 0 && System.nanoTime() - giveUpAt > 0) {
                for (int r = 0; r < children.size(); r++) {
                    if (!done[r]) {
                        report.accept("tile " + r + " (pid " + children.get(r).pid() + ") did not stop "
                                + (timeout.plus(GRACE).toSeconds()) + " s after another tile failed; ending it (its"
                                + " segment is kept)");
                        children.get(r).destroyForcibly();
                    }
                }
                giveUpAt = Long.MAX_VALUE; // their exits are collected above
            }
        }
        int worst = 0;
        for (int code : codes) {
            if (code == TileRun.EXIT_TILE_LOST) {
                return TileRun.EXIT_TILE_LOST;
            }
            worst = worst == 0 ? code : code == 0 ? worst : Math.max(worst, code);
        }
        return worst;
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> "SIGKILL";
            case 15 -> "SIGTERM";
            case 2 -> "SIGINT";
            case 6 -> "SIGABRT";
            case 11 -> "SIGSEGV";
            default -> "signal " + signal;
        };
    }
}
