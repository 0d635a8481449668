package dev.heatgrid.examples.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.examples.Frames;
import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.spi.Boundary;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party consumer, in a JVM whose class path holds only the segment module and the
 * examples' classes, follows a solver running in this JVM and writes its CSV; and its sources use
 * nothing of heatgrid but the segment module.
 */
class StatisticsRecorderTest {
    /** The writer runs in bursts with pauses between, so the consumer both keeps up and falls behind. */
    private static final int BURSTS = 10;
    private static final long STEPS_PER_BURST = 300;
    private static final long PAUSE_MILLIS = 20;
    private static final Pattern SUMMARY = Pattern.compile("recorded (\\d+) generations \\((\\d+)\\.\\.(\\d+)\\) to .*, skipped (\\d+)");

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void followsASolverAndCountsWhatItSkipped() throws Exception {
        Path segment = dir.resolve("followed.hgrid");
        Path csv = dir.resolve("stats.csv");
        SolverConfig config = SolverConfig.builder().size(new GridSize(64, 64)).initial(InitialCondition.parse("random:5"))
                .boundary(Boundary.parse("neumann,north=dirichlet:2")).threads(1).keep(true).build();
        long finalGeneration;
        Process consumer;
        Path consumerOut = dir.resolve("consumer.out");
        try (Solver solver = Solver.create(segment, config)) {
            consumer = new ProcessBuilder(JvmProcess.javaCommand(), "--enable-native-access=ALL-UNNAMED", "-cp",
                    segmentOnlyClassPath(), StatisticsRecorder.class.getName(), segment.toString(), csv.toString())
                    .redirectErrorStream(true).redirectOutput(consumerOut.toFile()).start();
            awaitLine(consumerOut, "following ", consumer);
            for (int burst = 0; burst < BURSTS; burst++) {
                solver.run(StopCondition.steps(STEPS_PER_BURST));
                Thread.sleep(PAUSE_MILLIS);
            }
            finalGeneration = solver.generation();
        }
        assertTrue(consumer.waitFor(60, TimeUnit.SECONDS), "the consumer did not end after the writer exited");
        String output = Files.readString(consumerOut);
        assertEquals(0, consumer.exitValue(), output);
        Matcher summary = SUMMARY.matcher(output);
        assertTrue(summary.find(), output);
        long rows = Long.parseLong(summary.group(1));
        long first = Long.parseLong(summary.group(2));
        long last = Long.parseLong(summary.group(3));
        long skipped = Long.parseLong(summary.group(4));
        System.out.printf("consumer: %d rows, generations %d..%d of %d, skipped %d%n", rows, first, last,
                finalGeneration, skipped);

        List<String> lines = Files.readAllLines(csv);
        assertEquals("generation,step,time,skipped_before,T_min,T_max,T_mean,T_total,T_total_recomputed", lines.getFirst());
        assertEquals(rows, lines.size() - 1);
        assertTrue(rows >= BURSTS, "the consumer catches up in every pause, so it sees each burst's last frame: " + rows);
        assertEquals(last, finalGeneration, "the consumer read the writer's last frame");
        assertEquals(last - first + 1, rows + skipped, "every generation spanned is either a row or counted as skipped");
        long previous = 0;
        long skippedInRows = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            long generation = Long.parseLong(cells[0]);
            assertTrue(generation > previous, "generations must increase: " + previous + " then " + generation);
            if (previous != 0) {
                assertEquals(generation - previous - 1, Long.parseLong(cells[3]), line);
            }
            skippedInRows += Long.parseLong(cells[3]);
            assertEquals(generation - 1, Long.parseLong(cells[1]), "one publication per step: " + line);
            double total = Double.parseDouble(cells[7]);
            double recomputed = Double.parseDouble(cells[8]);
            assertEquals(total, recomputed, Math.abs(total) * 1e-12, "header total vs the cells: " + line);
            previous = generation;
        }
        assertEquals(skipped, skippedInRows);

        // The last row is exactly the final frame's header.
        Frame frame = Frames.latest(segment);
        FieldStats stats = frame.header().stats().getFirst();
        String[] lastRow = lines.getLast().split(",");
        assertEquals(frame.header().generation(), Long.parseLong(lastRow[0]));
        assertEquals(frame.header().time(), Double.parseDouble(lastRow[2]));
        assertEquals(stats.min(), Double.parseDouble(lastRow[4]));
        assertEquals(stats.max(), Double.parseDouble(lastRow[5]));
        assertEquals(stats.mean(), Double.parseDouble(lastRow[6]));
        assertEquals(stats.total(), Double.parseDouble(lastRow[7]));
    }

    @Test
    void sourcesImportNothingOfHeatgridButTheSegmentModule() throws IOException {
        Path sources = Path.of(System.getProperty("heatgrid.examples.dir", "."), "src/main/java/dev/heatgrid/examples/consumer");
        var offending = new ArrayList<String>();
        var checked = new ArrayList<Path>();
        try (Stream<Path> files = Files.list(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                checked.add(file);
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    // Any mention of a heatgrid package, imported or fully qualified, must be the segment's or its own.
                    Matcher m = Pattern.compile("dev\\.heatgrid\\.([a-z]+(\\.[a-z]+)?)").matcher(line);
                    while (m.find()) {
                        String pkg = m.group(1);
                        if (!pkg.equals("segment") && !pkg.startsWith("segment.") && !pkg.equals("examples.consumer")) {
                            offending.add(file.getFileName() + ":" + (i + 1) + ": " + line.strip());
                        }
                    }
                }
            }
        }
        assertTrue(checked.size() >= 1, "no sources found in " + sources);
        assertTrue(offending.isEmpty(), "the consumer must depend on the segment module only:\n" + String.join("\n", offending));
    }

    /** The segment module and the examples' classes, nothing else: the solver is not there to be used by accident. */
    private static String segmentOnlyClassPath() throws URISyntaxException {
        Path segmentModule = Path.of(FrameReader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path examples = Path.of(StatisticsRecorder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(!segmentModule.equals(examples));
        return segmentModule + File.pathSeparator + examples;
    }

    private static void awaitLine(Path output, String prefix, Process owner) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (Files.readAllLines(output).stream().noneMatch(l -> l.startsWith(prefix))) {
            assertTrue(owner.isAlive(), "the consumer ended early:\n" + Files.readString(output));
            assertTrue(System.nanoTime() < deadline, "the consumer did not attach within 30 s");
            Thread.sleep(10);
        }
    }
}
