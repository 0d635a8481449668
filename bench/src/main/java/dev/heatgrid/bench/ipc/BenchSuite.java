package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.SegmentNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Issue 8's measurements in one run: frame delivery between processes (segment, pipe, Unix socket,
 * TCP), notification latency (spin, futex), consistent read vs copy, the solver with 0/1/4 viewers,
 * frame to image. {@code heatgrid bench} runs it; so does {@link #main} for the recorded full run.
 */
public final class BenchSuite {
    private static final int PUBLISH_BATCHES = 21;

    private BenchSuite() {
    }

    private static final List<BenchPlan> PLANS = List.of(BenchPlan.SMOKE, BenchPlan.STANDARD, BenchPlan.FULL);

    /** Plan names: smoke (under a minute: 43 s on 2 cores), standard (about a minute), full (what docs/BENCHMARKS.md records). */
    public static List<String> planNames() {
        return PLANS.stream().map(BenchPlan::name).toList();
    }

    private static BenchPlan plan(String name) {
        return PLANS.stream().filter(p -> p.name().equals(name))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no bench plan '" + name + "'; use one of "
                        + planNames()));
    }

    /** Runs every measurement of the plan, telling {@code progress} what it is doing. */
    public static BenchResults run(String planName, Consumer<String> progress) throws IOException, InterruptedException {
        BenchPlan plan = plan(planName);
        var results = new BenchResults(plan);
        MachineLoad load = MachineLoad.start();
        Path dir = Files.createTempDirectory(SegmentNames.defaultDirectory(), "heatgrid-bench-");
        try {
            for (int run = 0; run < plan.deliveryRuns(); run++) {
                for (SenderWork work : SenderWork.values()) {
                    for (FrameShape shape : List.of(FrameShape.MIB_2, FrameShape.MIB_32)) {
                        for (Transport transport : Transport.values()) { // interleaved: each run sees every transport
                            progress.accept(String.format(Locale.ROOT, "delivery, sender %s, %s, %s (run %d of %d)",
                                    work.label, shape.label(), transport.label, run + 1, plan.deliveryRuns()));
                            results.deliveries.add(transport == Transport.SEGMENT
                                    ? SegmentDelivery.run(shape, work, plan.delivery(), dir)
                                    : StreamDelivery.run(transport, work, shape, plan.delivery(), dir));
                        }
                    }
                }
            }
            for (WaitMode mode : WaitMode.values()) {
                progress.accept("notification latency, " + mode.label);
                int samples = mode == WaitMode.SPIN ? plan.spinSamples() : plan.futexSamples();
                results.latencies.add(NotificationLatency.run(mode, plan.latencyWarmUp(mode), samples, dir));
            }
            progress.accept("publish cost");
            results.publishMicros = PublishCost.medianMicros(dir, PUBLISH_BATCHES);
            for (FrameShape shape : List.of(FrameShape.MIB_2, FrameShape.MIB_32)) {
                progress.accept("consistent read vs copy, " + shape.label());
                try (var frame = new PublishedFrame(shape, dir)) {
                    results.reads.add(ConsistentReadVsCopy.run(frame, plan.readRounds(), plan.readOpsPerRound()));
                    progress.accept("frame to image, " + shape.n() + "^2");
                    results.images.add(new BenchResults.ImageTime(shape,
                            FrameToImageTime.medianMillis(frame, plan.imageSamples(), plan.imageSamples())));
                }
            }
            progress.accept("solver with 0, 1, 4 viewers");
            var solver = new SolverWithViewers(plan.solverN(), BenchPlan.SOLVER_THREADS, plan.solverWarmUpSteps(),
                    plan.solverTimedSteps());
            results.solverRuns.addAll(solver.run(BenchPlan.VIEWER_COUNTS, plan.solverRounds(), dir));
        } finally {
            deleteTree(dir);
        }
        results.machine = load.summary();
        return results;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Args: {@code [PLAN [CSV_FILE]]}; prints the table, writes the CSV for {@code BenchChartsMain}. */
    public static void main(String[] args) throws Exception {
        String planName = args.length > 0 ? args[0] : BenchPlan.FULL.name();
        BenchResults results = run(planName, step -> System.err.println("bench: " + step));
        System.out.print(results.table());
        if (args.length > 1) {
            Files.writeString(Path.of(args[1]), results.csv());
        }
    }
}
