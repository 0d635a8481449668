package dev.heatgrid.viewer;

import dev.heatgrid.segment.SegmentLayout;
import java.awt.Dimension;
import java.awt.geom.Rectangle2D;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import javax.swing.SwingUtilities;

/**
 * Bridges the loop's thread and the EDT. Frames and status are applied on the EDT; a frame counts
 * as shown when the panel has painted it, and only then does the loop render the next
 * one, so no frame is rendered just to be replaced unseen and a slow display slows the viewer,
 * never the solver.
 */
final class SwingFrameSink implements FrameSink {
    private final HeatmapChart heatmap;
    private final StatsChart stats;
    private final HeatmapPanel heatPanel;
    private final StatusBar statusBar;
    private final PaintMeter paints;
    private final BiConsumer<SegmentLayout, String> onRunStarted;
    private final AtomicReference<ViewerStatus> pendingStatus = new AtomicReference<>();
    private final AtomicBoolean statusScheduled = new AtomicBoolean();
    private final Object paintLock = new Object();
    private volatile Dimension target;
    private volatile ViewerLoop loop;
    private RenderedFrame handed;  // guarded by paintLock
    private RenderedFrame painted; // guarded by paintLock

    SwingFrameSink(HeatmapChart heatmap, StatsChart stats, HeatmapPanel heatPanel, StatusBar statusBar,
                   PaintMeter paints, BiConsumer<SegmentLayout, String> onRunStarted) {
        this.heatmap = heatmap;
        this.stats = stats;
        this.heatPanel = heatPanel;
        this.statusBar = statusBar;
        this.paints = paints;
        this.onRunStarted = onRunStarted;
        Dimension panel = heatPanel.getPreferredSize();
        this.target = new Dimension(Math.max(200, panel.width - 190), Math.max(200, panel.height - 140));
        heatPanel.afterPaint(this::drawn);
    }

    void attach(ViewerLoop viewerLoop) {
        this.loop = viewerLoop;
    }

    /** EDT: the heat map panel painted the current frame. */
    private void drawn() {
        Rectangle2D area = heatPanel.dataArea();
        if (area.getWidth() > 1 && area.getHeight() > 1) {
            var drawn = new Dimension((int) Math.ceil(area.getWidth()), (int) Math.ceil(area.getHeight()));
            ViewerLoop l = loop;
            if (!drawn.equals(target) && l != null) {
                target = drawn;
                l.redraw(); // the plot's size is known only now: re-render for it, even if the solver is paused
            }
        }
        RenderedFrame frame = heatmap.shown();
        if (frame == null) {
            return;
        }
        paints.painted(frame, System.nanoTime());
        synchronized (paintLock) {
            painted = frame;
            paintLock.notifyAll();
        }
    }

    @Override
    public void runStarted(SegmentLayout layout, String field) {
        SwingUtilities.invokeLater(() -> {
            stats.restart(field);
            onRunStarted.accept(layout, field);
        });
    }

    @Override
    public Dimension targetSize() {
        return target;
    }

    @Override
    public boolean awaitReady(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (paintLock) {
            while (handed != painted) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(paintLock, left);
            }
            return true;
        }
    }

    @Override
    public void show(RenderedFrame frame) {
        synchronized (paintLock) {
            handed = frame;
        }
        SwingUtilities.invokeLater(() -> {
            RenderedFrame previous = heatmap.show(frame);
            // Only the plot changed, unless the chart did too (then ChartPanel repaints it all itself).
            Rectangle2D area = heatPanel.dataArea();
            if (area.isEmpty()) {
                heatPanel.repaint();
            } else {
                heatPanel.repaint(area.getBounds());
            }
            stats.add(frame.header(), frame.fieldIndex());
            ViewerLoop l = loop;
            if (previous != null && previous != frame && l != null) {
                l.recycle(previous); // no longer referenced by the chart: its raster can take a later frame
            }
        });
    }

    @Override
    public void status(ViewerStatus status) {
        pendingStatus.set(status);
        if (statusScheduled.compareAndSet(false, true)) {
            SwingUtilities.invokeLater(() -> {
                statusScheduled.set(false);
                statusBar.show(pendingStatus.get());
                stats.redrawIfDue();
            });
        }
    }
}
