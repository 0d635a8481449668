package dev.heatgrid.examples.consumer;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A third-party reader built on the {@code segment} module alone: it attaches read-only, follows
 * the segment with {@link FrameReader#awaitNewer}, takes a consistent copy of each newest frame
 * and writes one CSV row per generation it saw, with the statistics from the frame header and a
 * total it recomputes from the cells. A reader slower than the writer sees only some generations;
 * it counts the ones it skipped. It ends when the writer has exited (or died) and nothing newer
 * is left to read.
 *
 * <pre>
 * java -cp heatgrid-segment.jar:heatgrid-examples.jar dev.heatgrid.examples.consumer.StatisticsRecorder SEGMENT OUT.csv
 * </pre>
 */
public final class StatisticsRecorder {
    /** How long one wait for a newer generation lasts before the recorder looks at the writer again. */
    private static final long POLL_MILLIS = 100;

    private final FrameReader reader;
    private final PrintWriter csv;
    private final Frame frame;
    private long rows;
    private long skipped;
    private long first;
    private long last;

    StatisticsRecorder(FrameReader reader, PrintWriter csv) {
        this.reader = reader;
        this.csv = csv;
        this.frame = Frame.shapedFor(reader.layout());
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: StatisticsRecorder SEGMENT OUT.csv   (SEGMENT: a name like plate, or a path)");
            System.exit(2);
        }
        Path segment = SegmentNames.resolve(args[0]);
        Path out = Path.of(args[1]);
        try (FrameReader reader = FrameReader.open(segment);
             PrintWriter csv = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            StatisticsRecorder recorder = new StatisticsRecorder(reader, csv);
            System.out.println("following " + segment + " from generation " + reader.generation());
            System.out.flush();
            recorder.followUntilWriterEnds();
            System.out.println(recorder.summary(out));
        }
    }

    /** Records the newest frame whenever a newer one is published, until the writer is gone. */
    void followUntilWriterEnds() throws IOException, InterruptedException {
        writeHeaderRow();
        while (true) {
            // Look at the writer before the generation: a writer that exits publishes its last frame first.
            boolean writerDone = reader.writer().finished();
            if (reader.awaitNewer(last, POLL_MILLIS, TimeUnit.MILLISECONDS) > last) {
                record();
            } else if (writerDone) {
                return;
            }
        }
    }

    /** Copies the newest frame (checksums verified by the reader) and writes its row. */
    private void record() throws IOException {
        long generation = reader.latest(frame);
        if (generation <= last) {
            return;
        }
        if (rows == 0) {
            first = generation;
        } else {
            skipped += generation - last - 1;
        }
        FrameHeader header = frame.header();
        var row = new StringBuilder();
        row.append(generation).append(',').append(header.step()).append(',').append(number(header.time()))
                .append(',').append(rows == 0 ? 0 : generation - last - 1);
        List<FieldStats> stats = header.stats();
        for (int f = 0; f < stats.size(); f++) {
            FieldStats s = stats.get(f);
            row.append(',').append(number(s.min())).append(',').append(number(s.max())).append(',')
                    .append(number(s.mean())).append(',').append(number(s.total())).append(',')
                    .append(number(recomputedTotal(frame.field(f))));
        }
        csv.println(row);
        rows++;
        last = generation;
    }

    /** The total as FORMAT.md defines it, sum of cells times dx times dy: equal to the header's up to rounding. */
    private double recomputedTotal(double[] cells) {
        double sum = 0;
        for (double cell : cells) {
            sum += cell;
        }
        return sum * reader.layout().spec().dx() * reader.layout().spec().dy();
    }

    private void writeHeaderRow() {
        var names = new StringBuilder("generation,step,time,skipped_before");
        for (String field : reader.layout().fields()) {
            for (String column : List.of("min", "max", "mean", "total", "total_recomputed")) {
                names.append(',').append(field).append('_').append(column);
            }
        }
        csv.println(names);
    }

    private static String number(double value) {
        return Double.toString(value);
    }

    String summary(Path out) {
        return String.format(Locale.ROOT, "recorded %d generations (%d..%d) to %s, skipped %d", rows, first, last, out,
                skipped);
    }

    long rows() {
        return rows;
    }

    long skipped() {
        return skipped;
    }
}
