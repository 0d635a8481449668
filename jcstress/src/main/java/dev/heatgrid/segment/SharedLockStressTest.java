package dev.heatgrid.segment;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two steering clients race for the shared lock and the one command slot. Each has its own
 * {@link SharedLock} with its own JVM-local lock and its own token, so only the lock word and the
 * fence arbitrate, as between two processes. Inside the lock each bumps a plain counter (a lost
 * update would mean both were inside at once) and posts a command through the real, fenced and
 * sealed posting code.
 *
 * <p>r1: seq the first client got (0: slot was pending); r2: the same for the second; r3: counter.
 */
@JCStressTest
@Outcome(id = {"1, 0, 2", "0, 1, 2"}, expect = Expect.ACCEPTABLE, desc = "one posted, the other found the slot pending")
@Outcome(expect = Expect.FORBIDDEN, desc = "both inside the lock at once, or a command lost")
@State
public class SharedLockStressTest {
    private static final long COUNTER = SegmentDescriptor.HEADER_SIZE - Long.BYTES;
    private final MemorySegment header = Arena.ofAuto().allocate(SegmentDescriptor.HEADER_SIZE, SegmentDescriptor.PAGE_SIZE);
    private final ControlArea control = new ControlArea(header, Path.of("jcstress"));
    /** Two live processes' tokens (the liveness check must not call either holder dead); no lease in play. */
    private static final long FIRST = ProcessIdentity.current().lockToken();
    private static final long SECOND = ProcessIdentity.of(ProcessHandle.current().parent().orElseThrow().pid())
            .orElseThrow().lockToken();
    private static final long NO_LEASE = java.util.concurrent.TimeUnit.HOURS.toNanos(1);
    private final SharedLock first = new SharedLock(header, Path.of("jcstress"), new ReentrantLock(), FIRST, NO_LEASE);
    private final SharedLock second = new SharedLock(header, Path.of("jcstress"), new ReentrantLock(), SECOND, NO_LEASE);
    private static final WriterRun WRITER = new WriterRun(3, 4, 1);

    private long post(SharedLock lock, SteeringCode code) {
        try {
            lock.lock(Long.MAX_VALUE, () -> false);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        try {
            header.set(ValueLayout.JAVA_LONG, COUNTER, header.get(ValueLayout.JAVA_LONG, COUNTER) + 1);
            return control.post(lock, new ControlArea.Post(code, "", new double[0], 5, WRITER, 0, Long.MAX_VALUE));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } finally {
            lock.unlock();
        }
    }

    @Actor
    public void firstClient(III_Result r) {
        r.r1 = (int) post(first, SteeringCode.PAUSE);
    }

    @Actor
    public void secondClient(III_Result r) {
        r.r2 = (int) post(second, SteeringCode.RESUME);
    }

    @Arbiter
    public void check(III_Result r) {
        r.r3 = (int) header.get(ValueLayout.JAVA_LONG, COUNTER);
        int code = header.get(ValueLayout.JAVA_INT, SegmentDescriptor.COMMAND_CODE_OFFSET);
        int expected = r.r1 == 1 ? SteeringCode.PAUSE.code() : SteeringCode.RESUME.code();
        if (code != expected) {
            r.r3 = -code; // the slot holds the loser's command: forbidden
        }
    }
}
