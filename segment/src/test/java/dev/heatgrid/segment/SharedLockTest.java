package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process-shared lock: a dead owner's lock is recovered at once, a live one's within its lease
 * never, a stopped or stuck one's after the lease; a holder that lost its lease is fenced out.
 */
class SharedLockTest {
    private static final long FOREVER = Long.MAX_VALUE;

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void recoversTheLockOfADeadProcessAtOnce() throws Exception {
        Path path = dir.resolve("dead.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             SegmentFile raw = SegmentFile.open(path, SegmentFile.Access.READ_WRITE, false)) {
            long deadToken = new ProcessIdentity(JvmProcess.deadPid(), 12345).lockToken();
            raw.mapping().set(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET, deadToken);
            long start = System.nanoTime();
            writer.beginFrame();
            writer.publish(0, 0, "");  // must not wedge
            assertTrue(System.nanoTime() - start < SharedLock.LEASE_NANOS, "a dead owner waited for the lease");
            assertEquals(1, writer.lockRecoveries());
            assertEquals(0, writer.lockTakeovers());
            assertEquals(0, raw.mapping().get(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET));
        }
    }

    /**
     * FORMAT.md §5, take over: of several waiters finding a dead owner at once, exactly one wins the
     * takeover CAS; the others then take the lock in turn, never two inside at once, each with its own
     * fence value. Raced 200 times by three threads acting as three live processes.
     */
    @Test
    void ofSeveralWaitersTakingOverADeadOwnerExactlyOneWins() throws Exception {
        long dead = new ProcessIdentity(JvmProcess.deadPid(), 12345).lockToken();
        long[] tokens = {myToken(), otherLiveToken(), ProcessIdentity.of(1).orElseThrow().lockToken()};
        int rounds = 200;
        MemorySegment header = header();
        try (var pool = Executors.newFixedThreadPool(tokens.length)) {
            for (int round = 0; round < rounds; round++) {
                header.set(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET, dead);
                long fenceBefore = header.get(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_FENCE_OFFSET);
                var start = new CountDownLatch(1);
                var inside = new AtomicInteger();
                var fences = ConcurrentHashMap.<Long>newKeySet();
                var waiters = new ArrayList<SharedLock>();
                var done = new ArrayList<Future<?>>();
                for (long token : tokens) {
                    SharedLock waiter = lock(header, token, TimeUnit.SECONDS.toNanos(30));
                    waiters.add(waiter);
                    done.add(pool.submit(() -> {
                        start.await();
                        waiter.lock(TimeUnit.SECONDS.toNanos(30), () -> false);
                        try {
                            assertEquals(1, inside.incrementAndGet(), "two holders inside at once");
                            assertTrue(fences.add(waiter.fence()), "a fence value given twice");
                            Thread.onSpinWait();
                            inside.decrementAndGet();
                        } finally {
                            assertTrue(waiter.unlock(), "a hold was robbed");
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (var f : done) {
                    f.get(60, TimeUnit.SECONDS);
                }
                int round0 = round;
                assertEquals(1, waiters.stream().mapToLong(SharedLock::recoveries).sum(),
                        () -> "round " + round0 + ": recoveries of the one dead hold");
                assertEquals(0, waiters.stream().mapToLong(SharedLock::takeovers).sum());
                assertEquals(fenceBefore + tokens.length,
                        header.get(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_FENCE_OFFSET), "fence advances");
                assertEquals(0, header.get(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET));
            }
        }
    }

    @Test
    void aLiveHolderIsNeverRobbedWithinItsLease() throws Exception {
        MemorySegment header = header();
        SharedLock holder = lock(header, myToken(), TimeUnit.SECONDS.toNanos(10));
        SharedLock waiter = lock(header, otherLiveToken(), TimeUnit.SECONDS.toNanos(10));
        holder.lock(FOREVER, () -> false);
        SegmentBusyException e = assertThrows(SegmentBusyException.class,
                () -> waiter.lock(TimeUnit.MILLISECONDS.toNanos(200), () -> false));
        assertEquals(SegmentBusyException.Reason.LOCK, e.reason());
        assertEquals(ProcessHandle.current().pid(), e.ownerPid());
        assertTrue(holder.holds());
        assertTrue(holder.unlock());
    }

    @Test
    void aHolderPastItsLeaseIsTakenOverAndFencedOut() throws Exception {
        MemorySegment header = header();
        SharedLock stuck = lock(header, myToken(), SharedLock.LEASE_NANOS);
        SharedLock waiter = lock(header, otherLiveToken(), TimeUnit.MILLISECONDS.toNanos(50));
        stuck.lock(FOREVER, () -> false);
        long heldFence = stuck.fence();
        long start = System.nanoTime();
        waiter.lock(TimeUnit.SECONDS.toNanos(30), () -> false);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50), "taken over before the lease");
        assertEquals(1, waiter.takeovers());
        assertTrue(waiter.fence() > heldFence, "the new hold did not get a new fence");
        assertTrue(waiter.holds());
        // The old holder wakes up: every store it guards is refused, and its release frees nothing.
        assertFalse(stuck.holds());
        assertThrows(LeaseExpiredException.class, stuck::checkHeld);
        assertFalse(stuck.unlock());
        assertTrue(waiter.holds(), "the old holder's release freed the new hold");
        assertTrue(waiter.unlock());
        assertEquals(0, header.get(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET));
    }

    @Test
    void aHolderThatKeepsReacquiringIsNotMistakenForAStuckOne() throws Exception {
        MemorySegment header = header();
        long lease = TimeUnit.MILLISECONDS.toNanos(300);
        SharedLock busy = lock(header, myToken(), SharedLock.LEASE_NANOS);
        SharedLock waiter = lock(header, otherLiveToken(), lease);
        var stop = new AtomicBoolean();
        var robbed = new AtomicBoolean();
        Thread churn = Thread.ofPlatform().start(() -> {
            try {
                while (!stop.get()) {
                    busy.lock(FOREVER, () -> false);
                    Thread.sleep(1); // each hold is short, but the lock word shows the same token for many leases
                    robbed.compareAndSet(false, !busy.unlock());
                    Thread.sleep(0, 200_000);
                }
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        try {
            long start = System.nanoTime();
            int acquired = 0;
            while (System.nanoTime() - start < 4 * lease || acquired < 20) {
                waiter.lock(TimeUnit.SECONDS.toNanos(30), () -> false);
                assertTrue(waiter.unlock());
                acquired++;
            }
            assertEquals(0, waiter.takeovers(), "a holder that released and re-acquired was taken over as stuck");
            assertFalse(robbed.get(), "a short hold lost its lock");
        } finally {
            stop.set(true);
            churn.join();
        }
    }

    @Test
    void aStoppedSteeringClientLosesTheLockAfterTheLeaseAndPostsNothing() throws Exception {
        Path path = dir.resolve("stopped.hgrid");
        try (JvmProcess writer = JvmProcess.start(PatternWriterMain.class, path.toString(), "32", "32", "2", "120");
             FrameReader reader = open(path, writer);
             SegmentFile raw = SegmentFile.open(path, SegmentFile.Access.READ_ONLY, false)) {
            ControlArea control = new ControlArea(raw.mapping().asSlice(0, SegmentDescriptor.HEADER_SIZE), path);
            long postedBefore;
            try (JvmProcess holder = JvmProcess.start(LockHolderMain.class, path.toString())) {
                holder.awaitLine("LOCKED", Duration.ofSeconds(30));
                holder.signal("STOP");
                long stopped = System.nanoTime();
                long blocked = reader.generation();
                postedBefore = control.postedSeq();
                // The writer waits at most one lease for a live holder, then publishes again.
                long after = reader.awaitNewer(blocked + 1, 30, TimeUnit.SECONDS);
                long recoveryMillis = (System.nanoTime() - stopped) / 1_000_000;
                assertTrue(after > blocked + 1, "the writer stayed wedged behind a stopped lock holder");
                assertTrue(recoveryMillis < TimeUnit.NANOSECONDS.toMillis(SharedLock.LEASE_NANOS) + 9_000,
                        "recovered only after " + recoveryMillis + " ms");
                awaitStderr(writer, "from live process pid " + holder.pid());
                System.out.printf("lease: a SIGSTOPped lock holder held up the writer for %d ms (lease %d ms)%n",
                        recoveryMillis, TimeUnit.NANOSECONDS.toMillis(SharedLock.LEASE_NANOS));

                // Continued, the holder finds its hold gone before its first store: nothing is posted.
                holder.signal("CONT");
                holder.send("post");
                String outcome = holder.awaitLine("NOT_POSTED", Duration.ofSeconds(30));
                assertTrue(outcome.contains("LeaseExpiredException"), outcome);
                assertEquals("RELEASED false", holder.awaitLine("RELEASED", Duration.ofSeconds(30)));
                assertEquals(0, holder.waitFor(Duration.ofSeconds(30)), holder.stderr());
            }
            assertEquals(postedBefore, control.postedSeq(), "the stopped client's command was announced");
            long now = reader.generation();
            assertTrue(reader.awaitNewer(now, 10, TimeUnit.SECONDS) > now, "the writer stopped publishing");
            assertTrue(reader.commandLog().isEmpty(), "a command was logged: " + reader.commandLog());
        }
    }

    @Test
    void aLivePidPlantedInTheLockWordNoLongerWedgesTheWriter() throws Exception {
        Path path = dir.resolve("planted.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             SegmentFile raw = SegmentFile.open(path, SegmentFile.Access.READ_WRITE, false)) {
            long planted = otherLiveToken();
            raw.mapping().set(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET, planted);
            long start = System.nanoTime();
            writer.beginFrame();
            writer.publish(0, 0, "");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(1, writer.lockTakeovers());
            assertTrue(millis >= TimeUnit.NANOSECONDS.toMillis(SharedLock.LEASE_NANOS), "robbed before the lease: "
                    + millis + " ms");
            // Before the lease this needed a SIGKILL of the planted pid; now one lease plus scheduling slack.
            assertTrue(millis < TimeUnit.NANOSECONDS.toMillis(SharedLock.LEASE_NANOS) + 5_000, "recovered only after "
                    + millis + " ms");
            System.out.printf("lease: a live pid planted in the lock word held up the writer for %d ms%n", millis);
            assertEquals(0, raw.mapping().get(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET));
        }
    }

    @Test
    void aWriterBlockedByASteeringClientThatDiesRecoversTheLockAndGoesOn() throws Exception {
        Path path = dir.resolve("blocked.hgrid");
        try (JvmProcess writer = JvmProcess.start(PatternWriterMain.class, path.toString(), "32", "32", "2", "120");
             FrameReader reader = open(path, writer)) {
            try (JvmProcess holder = JvmProcess.start(LockHolderMain.class, path.toString())) {
                String locked = holder.awaitLine("LOCKED", Duration.ofSeconds(30));
                long lockedAt = Long.parseLong(locked.split(" ")[2]);
                assertEquals(holder.pid(), reader.lockOwnerPid());
                long blocked = reader.generation();
                holder.kill();
                boolean diedWithinLease = System.nanoTime() - lockedAt < SharedLock.LEASE_NANOS / 2;
                long after = reader.awaitNewer(blocked + 1, 10, TimeUnit.SECONDS);
                assertTrue(after > blocked + 1, "the writer did not get the lock back from the dead client");
                // Dead within its lease: recovered as dead (a slow machine may let the lease run out first).
                awaitStderr(writer, diedWithinLease ? "from dead process pid " + holder.pid() : "pid " + holder.pid());
            }
        }
    }

    @Test
    void aReusedPidIsNotTheOldOwner() {
        ProcessIdentity me = ProcessIdentity.current();
        assertTrue(me.isAlive());
        assertTrue(ProcessIdentity.isLockTokenAlive(me.lockToken()));
        assertFalse(new ProcessIdentity(me.pid(), me.startToken() + 1).isAlive());
        assertFalse(ProcessIdentity.isLockTokenAlive(new ProcessIdentity(me.pid(), me.startToken() + 1).lockToken()));
    }

    // ------------------------------------------------------------------------------------------

    private static FrameReader open(Path path, JvmProcess writer) throws Exception {
        writer.awaitLine("READY", Duration.ofSeconds(30));
        return FrameReader.open(path);
    }

    static void awaitStderr(JvmProcess process, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!process.stderr().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(process.stderr().contains(text), "no '" + text + "' in:\n" + process.stderr());
    }

    /** A bare header in memory, as two processes would share it. */
    private static MemorySegment header() {
        return java.lang.foreign.Arena.ofAuto().allocate(SegmentDescriptor.HEADER_SIZE, SegmentDescriptor.PAGE_SIZE);
    }

    /** A lock instance acting as its own process: own JVM-local lock, own token. */
    private static SharedLock lock(MemorySegment header, long token, long leaseNanos) {
        return new SharedLock(header, Path.of("test"), new ReentrantLock(), token, leaseNanos);
    }

    private static long myToken() {
        return ProcessIdentity.current().lockToken();
    }

    /** The token of another process that stays alive for the whole test (this JVM's parent). */
    private static long otherLiveToken() {
        long parent = ProcessHandle.current().parent().orElseThrow().pid();
        return ProcessIdentity.of(parent).orElseThrow().lockToken();
    }
}
