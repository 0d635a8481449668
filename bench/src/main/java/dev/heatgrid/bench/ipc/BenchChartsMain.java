package dev.heatgrid.bench.ipc;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Draws the charts of docs/BENCHMARKS.md with JFreeChart from the CSV a {@link BenchSuite} run wrote
 * (medians only): frame delivery, notification latency, consistent read vs copy, solver with
 * viewers, frame to image.
 *
 * <p>Args: {@code RESULTS_CSV OUTPUT_DIR}; writes {@code bench-*.png} there.
 */
public final class BenchChartsMain {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final String LABEL_FORMAT = "{2}";

    private BenchChartsMain() {
    }

    /** One line of the results file. */
    private record Figure(String section, String subject, String size, String metric, double value) {
        static Figure parse(String line) {
            String[] f = line.split(",", 5);
            return new Figure(f[0], f[1], f[2], f[3], Double.parseDouble(f[4]));
        }
    }

    public static void main(String[] args) throws IOException {
        List<Figure> figures = Files.readAllLines(Path.of(args[0])).stream().skip(1)
                .filter(l -> !l.startsWith("machine,")).map(Figure::parse).toList();
        Path out = Path.of(args[1]);
        Files.createDirectories(out);

        var delivery = new DefaultCategoryDataset();
        for (SenderWork work : SenderWork.values()) {
            for (FrameShape shape : List.of(FrameShape.MIB_2, FrameShape.MIB_32)) {
                for (Transport transport : Transport.values()) {
                    figures.stream().filter(f -> f.section().equals("delivery") && f.subject().equals(transport.name())
                                    && f.size().equals(shape.label()) && f.metric().equals(work.name() + "_gbps"))
                            .forEach(f -> delivery.addValue(f.value(), transport.label,
                                    work.label + " sender, " + shape.label()));
                }
            }
        }
        save(bars("Frame delivery between processes (median GB/s, higher is better)", "GB/s", delivery),
                out.resolve("bench-delivery.png"));

        var latency = new DefaultCategoryDataset();
        for (Figure f : figures) {
            if (f.section().equals("latency") && f.subject().equals("PUBLISH")) {
                latency.addValue(f.value(), "median", "one publish alone (writer)");
            } else if (f.section().equals("latency") && f.metric().endsWith("_us")) {
                latency.addValue(f.value(), f.metric().startsWith("median") ? "median" : "p99",
                        WaitMode.valueOf(f.subject()).label + " wait");
            }
        }
        JFreeChart latencyChart = bars("Notification latency, one way (us, log scale, lower is better)", "us",
                latency);
        LogAxis log = new LogAxis("microseconds");
        log.setSmallestValue(0.1);
        log.setTickUnit(new NumberTickUnit(1)); // one tick per power of ten
        log.setNumberFormatOverride(new java.text.DecimalFormat("0.#"));
        latencyChart.getCategoryPlot().setRangeAxis(log);
        save(latencyChart, out.resolve("bench-latency.png"));

        var read = new DefaultCategoryDataset();
        for (Figure f : figures) {
            if (f.section().equals("read") && f.metric().equals("gbps")) {
                String series = switch (f.subject()) {
                    case "copy" -> "MemorySegment.copy";
                    case "latest" -> "consistent read (latest, checksum verified)";
                    default -> "optimistic copy + validate, no checksum";
                };
                read.addValue(f.value(), series, f.size());
            }
        }
        save(bars("Consistent read vs plain copy (median GB/s)", "GB/s", read), out.resolve("bench-read.png"));

        var solver = new DefaultCategoryDataset();
        for (Figure f : figures) {
            if (f.section().equals("solver") && f.metric().equals("steps_per_s")) {
                solver.addValue(f.value(), "ftcs " + f.size() + ", 1 thread", f.subject() + " viewer(s)");
            }
        }
        save(bars("Solver throughput with viewer processes attached (median steps/s)", "steps/s", solver),
                out.resolve("bench-solver.png"));

        var image = new DefaultCategoryDataset();
        for (Figure f : figures) {
            if (f.section().equals("image")) {
                image.addValue(f.value(), "frame to image, 600x600 plot", f.size());
            }
        }
        save(bars("Viewer frame to image (median ms, lower is better)", "ms", image), out.resolve("bench-image.png"));
    }

    private static JFreeChart bars(String title, String unit, DefaultCategoryDataset data) {
        JFreeChart chart = ChartFactory.createBarChart(title, null, unit, data, PlotOrientation.VERTICAL, true, false,
                false);
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.getDomainAxis().setMaximumCategoryLabelLines(2);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator(LABEL_FORMAT,
                new java.text.DecimalFormat("0.##")));
        renderer.setDefaultItemLabelsVisible(true);
        return chart;
    }

    private static void save(JFreeChart chart, Path png) throws IOException {
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
        System.out.println("wrote " + png);
    }
}
