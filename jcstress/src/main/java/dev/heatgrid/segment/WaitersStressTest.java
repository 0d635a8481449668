package dev.heatgrid.segment;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

/**
 * No lost wake-up (docs/FORMAT.md 4.3, {@link Waiters}): a reader that saw generation 1 announces
 * itself and looks at the generation again; the writer publishes generation 2 ({@link FrameStore}'s
 * release) and asks whether anyone may be waiting. The reader must see 2 (and not sleep) or the
 * writer must decide to wake; never neither.
 *
 * <p>r1: 1 if the reader's second look saw generation 2; r2: 1 if the writer decided to FUTEX_WAKE.
 */
@JCStressTest
@Outcome(id = "1, 0", expect = Expect.ACCEPTABLE, desc = "the reader saw the new generation: no sleep, no wake")
@Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "the reader sleeps and the writer wakes it")
@Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "both: one wake with nobody asleep")
@Outcome(id = "0, 0", expect = Expect.FORBIDDEN, desc = "lost wake-up: the reader sleeps and nobody wakes it")
@State
public class WaitersStressTest {
    private static final SegmentLayout LAYOUT = SegmentLayout.forNewSegment(SegmentSpec.of(4, 1, "T"));
    private final MemorySegment memory = Arena.ofAuto().allocate(LAYOUT.fileSize(), SegmentDescriptor.PAGE_SIZE);
    private final MemorySegment header = memory.asSlice(0, SegmentDescriptor.HEADER_SIZE);
    private final FrameStore frames = new FrameStore(memory, LAYOUT, Path.of("jcstress"));

    public WaitersStressTest() {
        frames.publish(1);
    }

    @Actor
    public void reader(II_Result r) {
        Waiters.announce(Waiters.line(header));
        r.r1 = frames.generation() == 2 ? 1 : 0;
    }

    @Actor
    public void writer(II_Result r) {
        frames.publish(2);
        r.r2 = Waiters.take(header) ? 1 : 0;
    }
}
