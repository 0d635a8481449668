package dev.heatgrid.bench;

import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.kernels.FtcsKernel;
import java.util.Arrays;
import java.util.Locale;

/**
 * The ratios of issue 3 measured robustly on a shared machine: copy, kernel step and checksummed
 * step alternate round after round in one process, so that load from other processes hits all of
 * them alike; medians over the rounds. (JMH runs each in its own fork at another time.) Published
 * steps, which move the data on, are measured afterwards on a fresh segment.
 * <pre>
 *   java --enable-native-access=ALL-UNNAMED --add-modules=jdk.incubator.vector \
 *        -cp bench/target/benchmarks.jar dev.heatgrid.bench.StepVsCopy N THREADS [warm|front] [rounds]
 * </pre>
 * Add {@code -Dheatgrid.flushSubnormals=false} to measure without the subnormal flush.
 */
public final class StepVsCopy {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        String scenario = args.length > 2 ? args[2] : "warm";
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        int reps = Math.max(1, (int) (20_000_000L / ((long) n * n))); // ~20M nodes per measurement
        double[] copy = new double[rounds];
        double[] step = new double[rounds];
        double[] checked = new double[rounds];
        double[] published = new double[rounds];
        try (StepRig rig = new StepRig(n, threads, scenario)) {
            rig.attachKernel();
            for (int r = -rounds / 2; r < rounds; r++) { // the first half-round-count rounds warm up
                long t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    rig.copy();
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    rig.kernelStep();
                }
                long t2 = System.nanoTime();
                for (int i = 0; i < reps; i++) {
                    rig.checksummedStep();
                }
                long t3 = System.nanoTime();
                if (Boolean.getBoolean("heatgrid.bench.verbose")) {
                    System.out.printf(Locale.ROOT, "round %d: copy %.0f us, step %.0f us, checksummed %.0f us%n", r,
                            (t1 - t0) / 1e3 / reps, (t2 - t1) / 1e3 / reps, (t3 - t2) / 1e3 / reps);
                }
                if (r >= 0) {
                    copy[r] = (t1 - t0) / 1e3 / reps;
                    step[r] = (t2 - t1) / 1e3 / reps;
                    checked[r] = (t3 - t2) / 1e3 / reps;
                }
            }
        }
        // Published steps move the data on and need the solver as the writer: a rig of their own,
        // measured after the interleaved rounds (so this figure is not protected against load changes).
        try (StepRig rig = new StepRig(n, threads, scenario); Solver solver = rig.attachSolver()) {
            for (int r = -rounds / 2; r < rounds; r++) {
                long t0 = System.nanoTime();
                solver.run(StopCondition.steps(reps));
                long t1 = System.nanoTime();
                if (r >= 0) {
                    published[r] = (t1 - t0) / 1e3 / reps;
                }
            }
        }
        double c = median(copy);
        double s = median(step);
        double k = median(checked);
        double p = median(published);
        System.out.printf(Locale.ROOT, "n=%d threads=%d scenario=%s flush=%s vector=%s rounds=%d reps=%d%n", n, threads,
                scenario, System.getProperty("heatgrid.flushSubnormals", "true"), FtcsKernel.vectorized(), rounds, reps);
        System.out.printf(Locale.ROOT, "  copy           %10.1f us  (%.0f MB/s moved)%n", c, 16.0 * n * n / c);
        System.out.printf(Locale.ROOT, "  kernel step    %10.1f us  %7.0f MLUPS  %.2fx copy (median of per-round ratios %.2fx)%n",
                s, (double) n * n / s, s / c, medianRatio(step, copy));
        System.out.printf(Locale.ROOT, "  + checksum     %10.1f us  %7.0f MLUPS  checksum +%.1f%% of a step%n", k,
                (double) n * n / k, 100 * (k - s) / s);
        System.out.printf(Locale.ROOT, "  published step %10.1f us  %7.0f MLUPS  (statistics, checksum, edges, publication)"
                + " +%.1f%% of a kernel step%n", p, (double) n * n / p, 100 * (p - s) / s);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double medianRatio(double[] a, double[] b) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] / b[i];
        }
        return median(r);
    }
}
