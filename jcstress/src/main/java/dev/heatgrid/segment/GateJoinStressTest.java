package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

/**
 * The join of a gating consumer against the writer's check before it reuses a buffer (docs/FORMAT.md
 * §4.4), run by the very code both sides use ({@link GatingConsumer#enter}, {@link WriterGate#firstBlocking})
 * on one {@link MemorySegment}. Two buffers; generation 1 is published. The writer publishes 2 and then
 * asks whether it may begin 3, which reuses the buffer of 1. The consumer joins and learns the first
 * generation the writer must keep for it; {@code enter} then says it finished the one before.
 *
 * <p>r1: the slot the writer found blocking (-1: none); r2: the consumer's first generation. If the
 * consumer was promised generation 1, the writer must see it before overwriting 1.
 */
@JCStressTest
@Outcome(id = {"0, 1", "0, 2"}, expect = Expect.ACCEPTABLE, desc = "the writer saw the consumer before reusing the buffer")
@Outcome(id = "-1, 2", expect = Expect.ACCEPTABLE, desc = "the consumer joined after generation 2: 1 is not its to keep")
@Outcome(id = "-1, 1", expect = Expect.FORBIDDEN, desc = "the writer would overwrite generation 1, promised to the consumer")
@State
public class GateJoinStressTest {
    private static final SegmentLayout LAYOUT = SegmentLayout.forNewSegment(SegmentSpec.of(4, 1, "T").withBuffers(2));
    private static final ProcessIdentity ME = new ProcessIdentity(1, 1);
    private final FrameStore frames;
    private final ConsumerTable table;
    private final WriterGate gate;

    public GateJoinStressTest() {
        // On the heap: jcstress makes millions of these, faster than the GC frees direct memory.
        MemorySegment memory = MemorySegment.ofArray(new long[Math.toIntExact(LAYOUT.fileSize() / Long.BYTES)]);
        frames = new FrameStore(memory, LAYOUT, Path.of("jcstress"));
        table = new ConsumerTable(memory, 0);
        gate = new WriterGate(table, null, LAYOUT.buffers(), () -> { }); // no file: firstBlocking never probes it
        publish(1);
    }

    private void publish(long generation) {
        int buffer = LAYOUT.bufferOf(generation);
        frames.markInProgress(buffer, generation);
        frames.writeHeader(buffer, generation, generation, generation, 0, List.of(new FieldStats(0, 0, 0, 0, 0)), "");
        frames.publish(generation);
    }

    @Actor
    public void writer(JJ_Result r) {
        publish(2);
        r.r1 = gate.firstBlocking(3);
    }

    @Actor
    public void consumer(JJ_Result r) {
        r.r2 = GatingConsumer.enter(table, 0, ME, 1_000_000, frames::generation).first();
    }
}
