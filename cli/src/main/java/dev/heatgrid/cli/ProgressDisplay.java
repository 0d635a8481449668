package dev.heatgrid.cli;

import dev.heatgrid.segment.CommandOutcome;
import dev.heatgrid.segment.SteeringCommand;
import dev.heatgrid.solver.Progress;
import dev.heatgrid.solver.ProgressListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * What {@code run} shows on stderr while it works: on a terminal a one-line progress bar redrawn in
 * place at most five times a second; otherwise (a pipe, a log file) a plain line every few seconds,
 * so logs stay readable. Steering commands always get a line of their own. stdout keeps only the
 * result, so {@code run > result.txt} still shows the bar.
 */
final class ProgressDisplay implements ProgressListener {
    private static final long BAR_INTERVAL_NANOS = 200_000_000L;
    private static final long LINE_INTERVAL_NANOS = 5_000_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final boolean quiet;
    private long lastDraw;
    private boolean barShown;

    ProgressDisplay(PrintWriter out, boolean terminal, boolean quiet) {
        this.out = out;
        this.terminal = terminal;
        this.quiet = quiet;
        // A log gets its first line after one interval, when the rate and ETA mean something.
        this.lastDraw = terminal ? 0 : System.nanoTime();
    }

    @Override
    public long progressIntervalNanos() {
        return quiet ? Long.MAX_VALUE : terminal ? BAR_INTERVAL_NANOS : LINE_INTERVAL_NANOS;
    }

    @Override
    public void onProgress(Progress p) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < (terminal ? BAR_INTERVAL_NANOS : LINE_INTERVAL_NANOS) && !p.paused()) {
            return;
        }
        lastDraw = now;
        if (terminal) {
            out.print("\r" + bar(p) + "\u001b[K");
            barShown = true;
        } else {
            out.println(line(p));
        }
        out.flush();
    }

    @Override
    public void onCommand(SteeringCommand command, CommandOutcome outcome) {
        if (quiet) {
            return;
        }
        endBar();
        out.println("steering: " + command + " from pid " + command.posterPid() + " -> " + outcome.message());
        out.flush();
    }

    /** Moves off the bar's line before something else is printed. */
    void endBar() {
        if (barShown) {
            out.println();
            barShown = false;
        }
    }

    static String bar(Progress p) {
        var text = new StringBuilder();
        if (Double.isFinite(p.fraction())) {
            int filled = (int) Math.round(Math.clamp(p.fraction(), 0, 1) * BAR_WIDTH);
            text.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3.0f%% ", p.fraction() * 100));
        }
        text.append(String.format(Locale.ROOT, "step %,d  t=%.5g  %,.0f MLUPS", p.step(), p.time(), p.mlups()));
        if (Double.isFinite(p.maxDelta())) {
            text.append(String.format(Locale.ROOT, "  max|du| %.3g", p.maxDelta()));
        }
        if (p.eta() != null) {
            text.append("  ETA ").append(clock(p.eta()));
        }
        if (p.paused()) {
            text.append("  (paused)");
        }
        return text.toString();
    }

    static String line(Progress p) {
        return String.format(Locale.ROOT, "step %d%s, t = %.6g, generation %d, %.1f MLUPS%s%s%s", p.step(),
                Double.isFinite(p.fraction()) ? String.format(Locale.ROOT, " (%.0f%%)", p.fraction() * 100) : "",
                p.time(), p.generation(), p.mlups(),
                Double.isFinite(p.maxDelta()) ? String.format(Locale.ROOT, ", max|du| %.3g", p.maxDelta()) : "",
                p.eta() == null ? "" : ", ETA " + clock(p.eta()), p.paused() ? ", paused" : "");
    }

    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
