package dev.heatgrid.tiles;

import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.BackoffIdleStrategy;

/**
 * {@code run NAME --tiles PXxPY} on one host, as {@code mpirun -np} would: one solver process per
 * tile, all on one Aeron media driver (started here unless {@code --aeron-dir} names a running one),
 * halos over IPC. Each child is this JVM's command line again with {@code --rank R --aeron-dir DIR}
 * added; their output goes straight to this terminal. Ctrl-C reaches every child (one process
 * group), SIGTERM to this process is passed on. The exit status is the worst child's.
 */
public final class TileLauncher {
    private TileLauncher() {
    }

    /**
     * @param mainClass the CLI's main class
     * @param args      the command line as given, starting with {@code run}
     */
    public static int launch(String mainClass, List<String> args, int tiles, Path aeronDir, PrintWriter err)
            throws IOException, InterruptedException {
        MediaDriver driver = null;
        Path dir = aeronDir;
        if (dir == null) {
            driver = MediaDriver.launch(new MediaDriver.Context()
                    .aeronDirectoryName(Path.of(System.getProperty("java.io.tmpdir"),
                            "heatgrid-aeron-" + ProcessHandle.current().pid()).toString())
                    .threadingMode(ThreadingMode.SHARED)
                    .sharedIdleStrategy(new BackoffIdleStrategy(100, 10, TimeUnit.MICROSECONDS.toNanos(1),
                            TimeUnit.MILLISECONDS.toNanos(1)))
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
                command.addAll(args);
                command.add("--rank");
                command.add(Integer.toString(r));
                command.add("--aeron-dir");
                command.add(dir.toString());
                children.add(new ProcessBuilder(command).inheritIO().start());
            }
            int worst = 0;
            for (Process p : children) {
                int code = p.waitFor();
                worst = worst == 0 ? code : code == 0 ? worst : Math.max(worst, code);
            }
            return worst;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(forward);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs
            }
            if (driver != null) {
                driver.close();
            }
            err.flush();
        }
    }
}
