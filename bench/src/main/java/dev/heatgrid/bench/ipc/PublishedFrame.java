package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A segment with one published frame of {@link FramePattern} and a reader on it, in this process:
 * the fixture of the in-process measurements (consistent read vs copy, frame to image).
 */
final class PublishedFrame implements AutoCloseable {
    final FrameShape shape;
    final FrameReader reader;
    private final SegmentWriter writer;
    private final Path path;

    PublishedFrame(FrameShape shape, Path dir) throws IOException {
        this.shape = shape;
        this.path = dir.resolve("frame-" + shape.n() + ".hgrid");
        this.writer = SegmentWriter.create(path, SegmentSpec.of(shape.n(), shape.n(), "T"));
        FramePattern.fill(writer.beginFrame().fields().get(0));
        writer.publish(0, 0, "");
        this.reader = FrameReader.open(path);
    }

    @Override
    public void close() throws IOException {
        reader.close();
        writer.close();
        Files.deleteIfExists(path);
    }
}
