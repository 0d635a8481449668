package dev.heatgrid.bench.ipc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How busy the machine was: the 1-minute load average at the start and end and the share of CPU time
 * the hypervisor stole in between (from the first line of /proc/stat). On a shared VM a figure is
 * only worth as much as these.
 */
final class MachineLoad {
    /** Position of "steal" among the jiffy counters after "cpu" in /proc/stat. */
    private static final int STEAL_COLUMN = 7;
    private static final int COUNTED_COLUMNS = 8;

    private final String loadBefore;
    private final long[] cpuBefore;

    private MachineLoad(String loadBefore, long[] cpuBefore) {
        this.loadBefore = loadBefore;
        this.cpuBefore = cpuBefore;
    }

    static MachineLoad start() {
        return new MachineLoad(loadAverage(), cpuJiffies());
    }

    /** e.g. "load 0.12 -> 1.35, steal 0.4%"; "n/a" parts where /proc is missing. */
    String summary() {
        long[] now = cpuJiffies();
        String steal = "n/a";
        if (now != null && cpuBefore != null) {
            long total = 0;
            for (int i = 0; i < COUNTED_COLUMNS; i++) {
                total += now[i] - cpuBefore[i];
            }
            steal = total == 0 ? "0%" : String.format(Locale.ROOT, "%.1f%%",
                    100.0 * (now[STEAL_COLUMN] - cpuBefore[STEAL_COLUMN]) / total);
        }
        return "load " + loadBefore + " -> " + loadAverage() + ", steal " + steal + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs";
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static long[] cpuJiffies() {
        try {
            String[] words = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long[] jiffies = new long[COUNTED_COLUMNS];
            for (int i = 0; i < COUNTED_COLUMNS; i++) {
                jiffies[i] = Long.parseLong(words[i + 1]);
            }
            return jiffies;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
