package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.FieldStats;
import dev.heatgrid.segment.FrameChecksum;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * The sending process of a segment delivery: publishes frames flat out. With {@link SenderWork#COPY}
 * it moves a private frame into the back buffer with one copy (checksumming it in the same pass, as
 * the protocol requires); with {@link SenderWork#PRODUCE} it computes each frame straight into the
 * back buffer, as the solver does. Prints {@code READY} after the first frame; ends when its stdin
 * closes.
 *
 * <p>Args: {@code SEGMENT N BUFFERS COPY|PRODUCE}.
 */
public final class SegmentPublisherMain {
    private SegmentPublisherMain() {
    }

    public static void main(String[] args) throws IOException {
        Path path = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int buffers = Integer.parseInt(args[2]);
        SenderWork work = SenderWork.valueOf(args[3]);
        FrameShape shape = new FrameShape(n);
        SegmentSpec spec = SegmentSpec.of(n, n, "T").withBuffers(buffers);
        try (Arena arena = Arena.ofConfined(); SegmentWriter writer = SegmentWriter.create(path, spec)) {
            MemorySegment source = arena.allocate(shape.bytes(), Long.BYTES);
            FramePattern.fill(source);
            Thread stopper = StdinWatch.start();
            for (long number = 1; stopper.isAlive(); number++) {
                source.set(ValueLayout.JAVA_DOUBLE, 0, number);
                MemorySegment back = writer.beginFrame().fields().get(0);
                long checksum = work == SenderWork.PRODUCE ? SenderWork.produce(back, number)
                        : FrameChecksum.copyAndSum(source, back, shape.cells());
                // The statistics are not what is measured: constants, so only the data pass costs.
                writer.publish(number, number, List.of(new FieldStats(0, 0, 0, 0, checksum)), "");
                if (number == 1) {
                    System.out.println("READY");
                    System.out.flush();
                }
            }
        }
    }
}
