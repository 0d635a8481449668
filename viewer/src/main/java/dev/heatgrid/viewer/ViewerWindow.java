package dev.heatgrid.viewer;

import dev.heatgrid.segment.SegmentLayout;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.GraphicsEnvironment;
import java.awt.event.ComponentAdapter;
import java.awt.event.ComponentEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.swing.BorderFactory;
import javax.swing.DefaultComboBoxModel;
import javax.swing.JComboBox;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.JSplitPane;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;
import javax.swing.WindowConstants;
import org.jfree.chart.ChartPanel;

/**
 * The live viewer window: the heat map (with its colour bar), the min/mean/max/total history
 * below it, controls for field, colour map, range and downsampling, and the status bar. It follows
 * the segment for as long as it is open, through solver restarts and failures.
 *
 * <pre>{@code
 * if (ViewerWindow.displayAvailable()) {
 *     ViewerWindow.open(segment, ViewerOptions.defaults()).awaitClosed();
 * }
 * }</pre>
 */
public final class ViewerWindow {
    private final Path segment;
    private final JFrame frame;
    private final ViewerLoop loop;
    private final StatusBar statusBar = new StatusBar();
    private final JComboBox<String> fieldChooser = new JComboBox<>();
    private final JLabel rangeError = new JLabel(" ");
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final StatsChart stats = new StatsChart();
    private boolean updatingFields;

    /** Whether a window can be shown: false without an X display or with {@code java.awt.headless=true}. */
    public static boolean displayAvailable() {
        return !GraphicsEnvironment.isHeadless();
    }

    /**
     * Opens the window and starts following {@code segment} (which need not exist yet).
     *
     * @throws IllegalStateException there is no display ({@link #displayAvailable()} is false)
     */
    public static ViewerWindow open(Path segment, ViewerOptions options) throws InterruptedException {
        if (!displayAvailable()) {
            throw new IllegalStateException("no display to open a viewer window on (DISPLAY is not set, or"
                    + " java.awt.headless=true); write PNGs instead (Snapshot, TimeLapse)");
        }
        var window = new ViewerWindow[1];
        try {
            SwingUtilities.invokeAndWait(() -> window[0] = new ViewerWindow(segment, options));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("could not open the viewer window: " + e.getCause(), e.getCause());
        }
        window[0].loop.start();
        return window[0];
    }

    private ViewerWindow(Path segment, ViewerOptions options) {
        this.segment = segment;
        SchedulingPriority.lowerCurrentThread(); // the EDT paints every frame: it, too, yields to the solver
        var heatmap = new HeatmapChart(segment, true);
        var heatPanel = new HeatmapPanel(heatmap);
        heatPanel.setName("heatmap"); // names: how tests (and accessibility tools) find the parts
        heatPanel.setPreferredSize(new Dimension(1000, 680));
        var statsPanel = chartPanel(stats.chart());
        statsPanel.setPreferredSize(new Dimension(1000, 220));
        var paints = new PaintMeter();
        var sink = new SwingFrameSink(heatmap, stats, heatPanel, statusBar, paints, this::runStarted);
        loop = new ViewerLoop(segment, options, sink, paints);
        sink.attach(loop);

        heatPanel.addComponentListener(new ComponentAdapter() {
            @Override
            public void componentResized(ComponentEvent e) {
                loop.redraw(); // re-render at the new size: sharper when larger, cheaper when smaller
            }
        });

        var split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, heatPanel, statsPanel);
        split.setResizeWeight(0.75);
        split.setBorder(null);

        frame = new JFrame("heatgrid view — " + segment);
        frame.setDefaultCloseOperation(WindowConstants.DO_NOTHING_ON_CLOSE);
        frame.addWindowListener(new WindowAdapter() {
            @Override
            public void windowClosing(WindowEvent e) {
                close();
            }
        });
        frame.getContentPane().add(controls(options), BorderLayout.NORTH);
        frame.getContentPane().add(split, BorderLayout.CENTER);
        frame.getContentPane().add(statusBar, BorderLayout.SOUTH);
        frame.pack();
        frame.setLocationByPlatform(true);
        frame.setVisible(true);
    }

    private static ChartPanel chartPanel(org.jfree.chart.JFreeChart chart) {
        var panel = new ChartPanel(chart, false, true, false, true, false);
        panel.getChartRenderingInfo().setEntityCollection(null); // no tooltips: skip an entity per point
        // ChartPanel would otherwise draw at most 1024x768 and stretch the result.
        panel.setMaximumDrawWidth(8192);
        panel.setMaximumDrawHeight(8192);
        panel.setMinimumDrawWidth(100);
        panel.setMinimumDrawHeight(100);
        return panel;
    }

    private JPanel controls(ViewerOptions options) {
        var bar = new JPanel(new FlowLayout(FlowLayout.LEFT, 8, 4));
        bar.setBorder(BorderFactory.createMatteBorder(0, 0, 1, 0, Color.LIGHT_GRAY));

        fieldChooser.setName("field");
        fieldChooser.setPrototypeDisplayValue("temperature__");
        fieldChooser.setToolTipText("the field shown (segments may hold several)");
        fieldChooser.addActionListener(e -> {
            Object chosen = fieldChooser.getSelectedItem();
            if (!updatingFields && chosen != null) {
                stats.restart(chosen.toString());
                loop.selectField(chosen.toString());
            }
        });

        var colors = new JComboBox<>(ColorMap.values());
        colors.setName("colormap");
        colors.setSelectedItem(options.colorMap());
        colors.setToolTipText("colour map");
        colors.addActionListener(e -> loop.setColorMap((ColorMap) colors.getSelectedItem()));

        var range = new JTextField(options.range() == null ? "" : options.range().min() + ":" + options.range().max(), 12);
        range.setName("range");
        range.setToolTipText("colour range MIN:MAX, e.g. 0:100; empty for automatic (press Enter)");
        range.addActionListener(e -> {
            String text = range.getText().strip();
            try {
                loop.setFixedRange(text.isEmpty() ? null : ValueRange.parse(text));
                rangeError.setText(" ");
            } catch (IllegalArgumentException bad) {
                rangeError.setText(bad.getMessage());
            }
        });
        rangeError.setForeground(new Color(0xB00020));
        rangeError.setName("range-error");

        var reduction = new JComboBox<>(Reduction.values());
        reduction.setName("reduce");
        reduction.setSelectedItem(options.reduction());
        reduction.setToolTipText("how blocks of cells become one pixel when the grid is larger than the panel");
        reduction.addActionListener(e -> loop.setReduction((Reduction) reduction.getSelectedItem()));

        bar.add(new JLabel("Field"));
        bar.add(fieldChooser);
        bar.add(new JLabel("Colours"));
        bar.add(colors);
        bar.add(new JLabel("Range"));
        bar.add(range);
        bar.add(new JLabel("Downsample"));
        bar.add(reduction);
        bar.add(rangeError);
        return bar;
    }

    /** EDT: a segment was attached; offer its fields. */
    private void runStarted(SegmentLayout layout, String field) {
        updatingFields = true;
        try {
            fieldChooser.setModel(new DefaultComboBoxModel<>(layout.fields().toArray(String[]::new)));
            fieldChooser.setSelectedItem(field);
            fieldChooser.setEnabled(layout.fields().size() > 1);
        } finally {
            updatingFields = false;
        }
        frame.setTitle("heatgrid view — " + segment + " (" + layout.nx() + " × " + layout.ny() + ")");
    }

    /** Blocks until the window is closed (by the user or {@link #close()}) and the segment unmapped. */
    public void awaitClosed() throws InterruptedException {
        closed.await();
    }

    /** Like {@link #awaitClosed()}, with a limit; true if closed. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes the window, stops reading and unmaps the segment (any thread; idempotent). */
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("heatgrid-viewer-close").start(() -> {
            try {
                loop.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                SwingUtilities.invokeLater(frame::dispose);
                closed.countDown();
            }
        });
    }

    /** What the status bar says now (EDT state read from any thread: for tests and the CLI's exit message). */
    public ViewerStatus status() {
        if (SwingUtilities.isEventDispatchThread()) {
            return statusBar.shown();
        }
        var result = new ViewerStatus[1];
        try {
            SwingUtilities.invokeAndWait(() -> result[0] = statusBar.shown());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
        return result[0];
    }
}
