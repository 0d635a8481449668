package dev.heatgrid.bench.ipc;

import java.time.Duration;

/**
 * How long and how often each measurement of the suite runs. {@link #SMOKE} proves in under a
 * minute (some 25 JVM starts) that every measurement works (figures unreliable); {@link #STANDARD} is
 * {@code heatgrid bench}, about a minute; {@link #FULL} is what docs/BENCHMARKS.md records.
 *
 * @param deliveryRuns     runs per transport and frame size (medians over them)
 * @param spinSamples      ping-pong round trips with the spin wait
 * @param futexSamples     ping-pong round trips with the futex wait
 * @param readRounds       interleaved rounds of consistent read vs copy
 * @param readOpsPerRound  operations of each kind per round
 * @param solverN          grid edge of the solver-with-viewers run
 * @param solverWarmUpSteps unmeasured steps before each timed run (viewers compile meanwhile)
 * @param solverTimedSteps steps per timed run
 * @param solverRounds     interleaved rounds of 0, 1 and 4 viewers
 * @param imageSamples     images timed per grid size
 */
record BenchPlan(String name, MeasureWindow delivery, int deliveryRuns, int spinSamples, int futexSamples,
                 int readRounds, int readOpsPerRound, int solverN, long solverWarmUpSteps, long solverTimedSteps,
                 int solverRounds, int imageSamples) {
    /** Viewer processes attached in the solver measurement, as the issue asks. */
    static final int[] VIEWER_COUNTS = {0, 1, 4};
    static final int SOLVER_THREADS = 1;

    static final BenchPlan SMOKE = new BenchPlan("smoke",
            new MeasureWindow(Duration.ofMillis(200), Duration.ofMillis(300)), 1, 10_000, 500,
            2, 2, 256, 20, 40, 1, 5);
    static final BenchPlan STANDARD = new BenchPlan("standard",
            new MeasureWindow(Duration.ofMillis(700), Duration.ofMillis(1500)), 1, 10_000, 2_000,
            5, 6, 1024, 200, 400, 1, 30);
    static final BenchPlan FULL = new BenchPlan("full",
            new MeasureWindow(Duration.ofSeconds(2), Duration.ofSeconds(4)), 3, 50_000, 5_000,
            21, 10, 2048, 150, 300, 5, 101);

    /** Spin/futex round trips before the recorded ones (JIT, page faults). */
    int latencyWarmUp(WaitMode mode) {
        return mode == WaitMode.SPIN ? spinSamples : futexSamples / 2;
    }
}
