package dev.heatgrid.segment;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * The seqlock of docs/FORMAT.md section 4, run by the very code the writer and readers use
 * ({@link FrameStore}) on a {@link MemorySegment}. Generation 1 is published in buffer 1; the writer
 * publishes 2 (buffer 0) and 3 (buffer 1 again, over what a slow reader may be reading). A reader
 * that validates must have read one whole generation.
 *
 * <p>r1: 1 if the reader's stamp validated; r2: 1 if every cell it read holds the stamp's generation.
 */
@JCStressTest
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "validated a whole frame")
@Outcome(id = {"0, 0", "0, 1"}, expect = Expect.ACCEPTABLE, desc = "did not validate: the reader retries")
@Outcome(id = "1, 0", expect = Expect.FORBIDDEN, desc = "validated a torn frame")
@State
public class PublishValidateStressTest {
    private static final SegmentLayout LAYOUT = SegmentLayout.forNewSegment(SegmentSpec.of(4, 1, "T"));
    private static final ValueLayout.OfDouble CELL = ValueLayout.JAVA_DOUBLE;
    private final FrameStore frames;

    public PublishValidateStressTest() {
        MemorySegment memory = Arena.ofAuto().allocate(LAYOUT.fileSize(), SegmentDescriptor.PAGE_SIZE);
        frames = new FrameStore(memory, LAYOUT, Path.of("jcstress"));
        write(1);
    }

    private void write(long generation) {
        int buffer = LAYOUT.bufferOf(generation);
        frames.markInProgress(buffer, generation);
        MemorySegment field = frames.field(buffer, 0);
        for (int i = 0; i < LAYOUT.cells(); i++) {
            field.setAtIndex(CELL, i, generation);
        }
        frames.writeHeader(buffer, generation, generation, generation, 0, List.of(new FieldStats(0, 0, 0, 0, 0)), "");
        frames.publish(generation);
    }

    @Actor
    public void writer() {
        write(2);
        write(3);
    }

    @Actor
    public void reader(II_Result r) {
        long stamp = frames.tryOptimisticRead();
        MemorySegment field = frames.field(LAYOUT.bufferOf(stamp), 0);
        boolean whole = stamp != 0;
        for (int i = 0; i < LAYOUT.cells(); i++) {
            whole &= field.getAtIndex(CELL, i) == stamp;
        }
        r.r1 = frames.validate(stamp) ? 1 : 0;
        r.r2 = whole ? 1 : 0;
    }
}
