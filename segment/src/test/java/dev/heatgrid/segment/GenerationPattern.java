package dev.heatgrid.segment;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Frames whose every cell says which generation wrote it: cell i of generation g holds
 * {@code g * 2^20 + i} (exact in a double for any test-sized g). A frame is whole when all cells
 * agree on one g; a torn frame mixes two.
 */
final class GenerationPattern {
    private static final double SPAN = 1 << 20;

    private GenerationPattern() {
    }

    static void fill(MemorySegment field, long cells, long generation) {
        double base = generation * SPAN;
        for (long i = 0; i < cells; i++) {
            field.setAtIndex(ValueLayout.JAVA_DOUBLE, i, base + i);
        }
    }

    /** The generation all cells agree on, or -1 if they do not. */
    static long wholeGeneration(double[] cells) {
        long g = (long) (cells[0] / SPAN);
        double base = g * SPAN;
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] != base + i) {
                return -1;
            }
        }
        return g;
    }

    /** Publishes generation after generation until {@code stopAfterNanos} passes. Returns frames published. */
    static long publishFlatOut(SegmentWriter writer, long stopAfterNanos) throws IOException {
        long cells = writer.layout().cells();
        long deadline = System.nanoTime() + stopAfterNanos;
        long frames = 0;
        while (System.nanoTime() < deadline) {
            SegmentWriter.BackFrame back = writer.beginFrame();
            fill(back.fields().get(0), cells, back.generation());
            writer.publish(back.generation(), back.generation() * 0.5, "pattern=generation\n");
            frames++;
        }
        return frames;
    }

    /** What a reader saw while reading a pattern writer's frames. */
    record ReadReport(long reads, long optimisticRetries, long latestRetries, long distinct, long torn,
                      long backwards, long nanos) {
        String line() {
            return String.format("RESULT reads=%d optimisticRetries=%d latestRetries=%d distinct=%d torn=%d"
                    + " backwards=%d seconds=%.3f", reads, optimisticRetries, latestRetries, distinct, torn, backwards,
                    nanos / 1e9);
        }

        static ReadReport parse(String line) {
            var values = new java.util.HashMap<String, String>();
            for (String part : line.substring("RESULT ".length()).split(" ")) {
                String[] kv = part.split("=");
                values.put(kv[0], kv[1]);
            }
            return new ReadReport(Long.parseLong(values.get("reads")), Long.parseLong(values.get("optimisticRetries")),
                    Long.parseLong(values.get("latestRetries")), Long.parseLong(values.get("distinct")),
                    Long.parseLong(values.get("torn")), Long.parseLong(values.get("backwards")),
                    (long) (Double.parseDouble(values.get("seconds")) * 1e9));
        }
    }

    /**
     * Takes {@code reads} consistent reads, alternating the optimistic API (copy + validate) and
     * {@link FrameReader#latest}, and checks every frame it accepted.
     */
    static ReadReport readAndCheck(FrameReader reader, long reads) throws IOException {
        SegmentLayout layout = reader.layout();
        double[] copy = new double[(int) layout.cells()];
        MemorySegment copySegment = MemorySegment.ofArray(copy);
        Frame frame = Frame.shapedFor(layout);
        long optimisticRetries = 0;
        long distinct = 0;
        long torn = 0;
        long backwards = 0;
        long last = 0;
        long start = System.nanoTime();
        long latestRetriesBefore = reader.retries();
        for (long n = 0; n < reads; ) {
            long generation;
            if ((n & 1) == 0) {
                long stamp = reader.tryOptimisticRead();
                if (stamp == 0) {
                    optimisticRetries++;
                    continue;
                }
                FrameHeader header = reader.header(stamp);
                MemorySegment.copy(reader.field(stamp, 0), 0, copySegment, 0, copySegment.byteSize());
                if (!reader.validate(stamp)) {
                    optimisticRetries++;
                    continue;
                }
                generation = stamp;
                if (wholeGeneration(copy) != stamp || header.generation() != stamp || header.step() != stamp) {
                    torn++;
                }
            } else {
                generation = reader.latest(frame);
                if (generation == 0) {
                    continue;
                }
                if (wholeGeneration(frame.field(0)) != generation || frame.header().generation() != generation) {
                    torn++;
                }
            }
            if (generation < last) {
                backwards++;
            }
            if (generation != last) {
                distinct++;
            }
            last = generation;
            n++;
        }
        return new ReadReport(reads, optimisticRetries, reader.retries() - latestRetriesBefore, distinct, torn,
                backwards, System.nanoTime() - start);
    }
}
