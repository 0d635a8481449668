package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A one-cell segment for the notification benchmark: what is measured is the publish and the
 * wait, not any data. Its only cell stays 0, whose checksum is 0.
 */
final class TinySegment {
    private static final List<FieldStats> ZERO_CELL = List.of(new FieldStats(0, 0, 0, 0, 0));

    private TinySegment() {
    }

    static SegmentWriter create(Path path) throws IOException {
        return SegmentWriter.create(path, SegmentSpec.of(1, 1, "T"));
    }

    /** Publishes the next generation, exactly as a solver would (lock, header, release, FUTEX_WAKE). */
    static void publishNext(SegmentWriter writer) throws IOException {
        writer.beginFrame();
        writer.publish(writer.generation() + 1, 0, ZERO_CELL, "");
    }
}
