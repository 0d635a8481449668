package dev.heatgrid.bench.ipc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Everything one run of the suite measured, as a table for people ({@link #table}) and as CSV for
 * the chart drawer ({@link #csv}). Every figure shown is a median; ratios are taken between figures
 * of the same run.
 */
public final class BenchResults {
    record ImageTime(FrameShape shape, double millis) {
    }

    private final BenchPlan plan;
    final List<DeliveryResult> deliveries = new ArrayList<>();
    final List<LatencyResult> latencies = new ArrayList<>();
    final List<ConsistentReadVsCopy.Result> reads = new ArrayList<>();
    final List<SolverWithViewers.Run> solverRuns = new ArrayList<>();
    final List<ImageTime> images = new ArrayList<>();
    String machine = "";
    double publishMicros;

    BenchResults(BenchPlan plan) {
        this.plan = plan;
    }

    /** Median GB/s of one transport at one frame size, senders doing {@code work}. */
    double deliveryGigabytesPerSecond(SenderWork work, Transport transport, FrameShape shape) {
        return Medians.of(deliveryRuns(work, transport, shape), DeliveryResult::gigabytesPerSecond);
    }

    double deliveryFramesPerSecond(SenderWork work, Transport transport, FrameShape shape) {
        return Medians.of(deliveryRuns(work, transport, shape), DeliveryResult::framesPerSecond);
    }

    private List<DeliveryResult> deliveryRuns(SenderWork work, Transport transport, FrameShape shape) {
        return deliveries.stream().filter(d -> d.work() == work && d.transport() == transport
                && d.shape().equals(shape)).toList();
    }

    /** The segment's median against the best median of the byte streams, at one frame size. */
    double segmentAdvantage(SenderWork work, FrameShape shape) {
        double best = Arrays.stream(Transport.values()).filter(t -> t != Transport.SEGMENT)
                .mapToDouble(t -> deliveryGigabytesPerSecond(work, t, shape)).max().orElseThrow();
        return deliveryGigabytesPerSecond(work, Transport.SEGMENT, shape) / best;
    }

    double solverStepsPerSecond(int viewers) {
        return Medians.of(solverRuns(viewers), SolverWithViewers.Run::stepsPerSecond);
    }

    private List<SolverWithViewers.Run> solverRuns(int viewers) {
        return solverRuns.stream().filter(r -> r.viewers() == viewers).toList();
    }

    /**
     * A ratio with two decimals, or two significant digits below 0.01: a ratio is never printed as
     * 0.00x (a quick run under load once measured the segment at 1/200 of a socket).
     */
    private static String ratio(double r) {
        return String.format(Locale.ROOT, Math.abs(r) >= 0.01 || r == 0 ? "%.2fx" : "%.2gx", r);
    }

    /** The human-readable table {@code heatgrid bench} prints. */
    public String table() {
        var t = new StringBuilder();
        t.append(String.format(Locale.ROOT, "heatgrid bench (%s run): %s%n%n", plan.name(), machine));
        t.append(String.format(Locale.ROOT, "Frame delivery between processes (median of %d run(s) of %.1f s)%n",
                plan.deliveryRuns(), plan.delivery().measureNanos() / 1e9));
        t.append(String.format(Locale.ROOT, "  %-8s %-7s %-12s %10s %8s %10s%n", "sender", "frame", "transport",
                "frames/s", "GB/s", "segment/x"));
        for (SenderWork work : SenderWork.values()) {
            for (FrameShape shape : List.of(FrameShape.MIB_2, FrameShape.MIB_32)) {
                double segment = deliveryGigabytesPerSecond(work, Transport.SEGMENT, shape);
                for (Transport transport : Transport.values()) {
                    double gbps = deliveryGigabytesPerSecond(work, transport, shape);
                    t.append(String.format(Locale.ROOT, "  %-8s %-7s %-12s %10.1f %8.2f %10s%n", work.label,
                            shape.label(), transport.label, deliveryFramesPerSecond(work, transport, shape), gbps,
                            transport == Transport.SEGMENT ? "" : ratio(segment / gbps)));
                }
                t.append(String.format(Locale.ROOT, "  %-8s %-7s segment / best other: %s%n", work.label,
                        shape.label(), ratio(segmentAdvantage(work, shape))));
            }
        }
        t.append(String.format(Locale.ROOT, "%nNotification latency, publish -> reader in another process "
                + "(one way = ping-pong round trip / 2)%n"));
        t.append(String.format(Locale.ROOT, "  %-7s %8s %10s %10s%n", "wait", "samples", "median us", "p99 us"));
        for (LatencyResult latency : latencies) {
            t.append(String.format(Locale.ROOT, "  %-7s %8d %10.2f %10.2f%n", latency.mode().label, latency.samples(),
                    latency.medianMicros(), latency.p99Micros()));
        }
        t.append(String.format(Locale.ROOT, "  (one publish alone, writer side, incl. FUTEX_WAKE: %.2f us)%n",
                publishMicros));
        t.append(String.format(Locale.ROOT, "%nConsistent read (copy + validate + checksum) vs MemorySegment.copy, "
                + "interleaved, median of %d rounds%n", plan.readRounds()));
        t.append(String.format(Locale.ROOT, "  %-7s %10s %12s %8s %16s%n", "frame", "copy GB/s", "latest GB/s",
                "ratio", "no-checksum ratio"));
        for (var read : reads) {
            t.append(String.format(Locale.ROOT, "  %-7s %10.2f %12.2f %7.2fx %15.2fx%n", read.shape().label(),
                    read.copyGigabytesPerSecond(), read.latestGigabytesPerSecond(), read.ratio(),
                    read.copyMicros() / read.unverifiedMicros()));
        }
        t.append(String.format(Locale.ROOT, "%nSolver ftcs %d^2, %d thread, publishing every step, with headless "
                        + "viewer processes (30 fps, nice 10), median of %d round(s)%n", plan.solverN(),
                BenchPlan.SOLVER_THREADS, plan.solverRounds()));
        t.append(String.format(Locale.ROOT, "  %-8s %10s %8s %9s %16s %13s%n", "viewers", "steps/s", "MLUPS",
                "vs alone", "viewer frames/s", "failed reads"));
        double alone = solverStepsPerSecond(0);
        for (int viewers : BenchPlan.VIEWER_COUNTS) {
            double rate = solverStepsPerSecond(viewers);
            t.append(String.format(Locale.ROOT, "  %-8d %10.1f %8.1f %8.2fx %16s %13s%n", viewers, rate,
                    rate * plan.solverN() * plan.solverN() / 1e6, rate / alone, viewers == 0 ? "" : String.format(
                            Locale.ROOT, "%.1f", Medians.of(solverRuns(viewers), SolverWithViewers.Run::viewerFramesPerSecond)),
                    viewers == 0 ? "" : Long.toString(solverRuns(viewers).stream()
                            .mapToLong(SolverWithViewers.Run::viewerFailures).sum())));
        }
        t.append(String.format(Locale.ROOT, "%nFrame to image (viewer, %d^2 px plot, block mean, checksum verified)%n",
                HeadlessViewerMain.PLOT_PIXELS));
        t.append(String.format(Locale.ROOT, "  %-7s %10s%n", "grid", "median ms"));
        for (ImageTime image : images) {
            t.append(String.format(Locale.ROOT, "  %-7s %10.2f%n", image.shape().n() + "^2", image.millis()));
        }
        return t.toString();
    }

    /**
     * One line per figure: {@code section,subject,size,metric,value}. Every run is listed (metric
     * suffix {@code _run}) besides the medians, so charts and readers can see the spread.
     */
    public String csv() {
        var lines = new ArrayList<String>();
        lines.add("section,subject,size,metric,value");
        lines.add(line("machine", plan.name(), "", "summary", '"' + machine + '"'));
        for (DeliveryResult d : deliveries) {
            lines.add(line("delivery", d.transport().name(), d.shape().label(), d.work().name() + "_gbps_run",
                    d.gigabytesPerSecond()));
        }
        for (SenderWork work : SenderWork.values()) {
            for (FrameShape shape : List.of(FrameShape.MIB_2, FrameShape.MIB_32)) {
                for (Transport transport : Transport.values()) {
                    lines.add(line("delivery", transport.name(), shape.label(), work.name() + "_gbps",
                            deliveryGigabytesPerSecond(work, transport, shape)));
                    lines.add(line("delivery", transport.name(), shape.label(), work.name() + "_frames_per_s",
                            deliveryFramesPerSecond(work, transport, shape)));
                }
                lines.add(line("delivery", "SEGMENT_VS_BEST", shape.label(), work.name() + "_ratio",
                        segmentAdvantage(work, shape)));
            }
        }
        for (LatencyResult l : latencies) {
            lines.add(line("latency", l.mode().name(), "", "median_us", l.medianMicros()));
            lines.add(line("latency", l.mode().name(), "", "p99_us", l.p99Micros()));
            lines.add(line("latency", l.mode().name(), "", "samples", l.samples()));
        }
        lines.add(line("latency", "PUBLISH", "", "mean_us", publishMicros));
        for (var r : reads) {
            lines.add(line("read", "copy", r.shape().label(), "gbps", r.copyGigabytesPerSecond()));
            lines.add(line("read", "latest", r.shape().label(), "gbps", r.latestGigabytesPerSecond()));
            lines.add(line("read", "unverified", r.shape().label(), "gbps", r.shape().bytes() / (r.unverifiedMicros() * 1e3)));
            lines.add(line("read", "latest", r.shape().label(), "ratio", r.ratio()));
        }
        for (var run : solverRuns) {
            lines.add(line("solver", Integer.toString(run.viewers()), plan.solverN() + "^2", "steps_per_s_run",
                    run.stepsPerSecond()));
        }
        for (int viewers : BenchPlan.VIEWER_COUNTS) {
            lines.add(line("solver", Integer.toString(viewers), plan.solverN() + "^2", "steps_per_s",
                    solverStepsPerSecond(viewers)));
            lines.add(line("solver", Integer.toString(viewers), plan.solverN() + "^2", "ratio",
                    solverStepsPerSecond(viewers) / solverStepsPerSecond(0)));
        }
        for (ImageTime image : images) {
            lines.add(line("image", "renderNewest", image.shape().n() + "^2", "median_ms", image.millis()));
        }
        return String.join("\n", lines) + "\n";
    }

    private static String line(String section, String subject, String size, String metric, Object value) {
        String text = value instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : value.toString();
        return String.join(",", section, subject, size, metric, text);
    }
}
