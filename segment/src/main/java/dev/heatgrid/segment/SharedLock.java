package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The process-shared lock that guards the generation flip and the steering command slot: a u64
 * word in the header holding the owner's {@link ProcessIdentity#lockToken() token}, 0 when free.
 *
 * <p>Robustness rule (as LMDB's robust mutex): a waiter that finds the word owned by a process
 * that no longer runs (pid gone, pid reused by a process with another start time, or a zombie)
 * takes the lock over with a CAS from the dead token, and logs the dead owner's pid. A live owner
 * is never robbed, however slow. Critical sections store only whole aligned words and publish with
 * a final release store, so whatever a dead owner left half done is either invisible or complete.
 *
 * <p>The token names a process, not a thread, so threads of one JVM first take a JVM-local lock
 * per segment; only then does the word arbitrate between processes.
 */
final class SharedLock {
    private static final System.Logger LOG = System.getLogger("dev.heatgrid.segment");
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final ConcurrentHashMap<Long, ReentrantLock> LOCAL = new ConcurrentHashMap<>();
    /** Checking liveness reads /proc, so do it at most this often while waiting. */
    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final MemorySegment header;
    private final Path file;
    private final ReentrantLock local;
    private final long myToken = ProcessIdentity.current().lockToken();
    private final AtomicLong recoveries = new AtomicLong();
    /** Dead owner whose lock we took, logged after unlocking: logging inside would lengthen the hold. */
    private long recoveredFromPid;

    SharedLock(MemorySegment header, Path file, long segmentId) {
        this(header, file, LOCAL.computeIfAbsent(segmentId, id -> new ReentrantLock()));
    }

    /** With an explicit JVM-local lock: stress tests give two instances two locks to act as two processes. */
    SharedLock(MemorySegment header, Path file, ReentrantLock local) {
        this.header = header;
        this.file = file;
        this.local = local;
    }

    /**
     * Takes the lock, recovering it from a dead owner, or throws after {@code timeoutNanos} of a live
     * owner holding it.
     */
    void lock(long timeoutNanos) throws SegmentBusyException {
        long deadline = System.nanoTime() + timeoutNanos;
        try {
            if (!local.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new SegmentBusyException("the lock of segment " + file + " is held by another thread of"
                        + " this process for more than " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", 0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SegmentBusyException("interrupted while waiting for the lock of segment " + file, 0);
        }
        boolean acquired = false;
        try {
            acquireShared(deadline);
            acquired = true;
        } finally {
            if (!acquired) {
                local.unlock();
            }
        }
    }

    private void acquireShared(long deadline) throws SegmentBusyException {
        long nextLivenessCheck = 0;
        for (int attempt = 0; ; attempt++) {
            // CAS is a full volatile access: the critical section cannot float above it.
            if (WORD.compareAndSet(header, (long) SegmentDescriptor.LOCK_OFFSET, 0L, myToken)) {
                return;
            }
            // Acquire: if the owner changes to 0 we must see what it wrote before releasing.
            long owner = (long) WORD.getAcquire(header, (long) SegmentDescriptor.LOCK_OFFSET);
            if (owner == 0) {
                continue;
            }
            long now = System.nanoTime();
            if (now - nextLivenessCheck >= 0) {
                if (!ProcessIdentity.isLockTokenAlive(owner)) {
                    // CAS from the dead token: of several processes recovering at once, exactly one wins.
                    if (WORD.compareAndSet(header, (long) SegmentDescriptor.LOCK_OFFSET, owner, myToken)) {
                        recoveries.incrementAndGet();
                        recoveredFromPid = ProcessIdentity.pidOfLockToken(owner);
                        return;
                    }
                    continue;
                }
                nextLivenessCheck = now + LIVENESS_CHECK_NANOS;
            }
            if (now - deadline >= 0) {
                long pid = ProcessIdentity.pidOfLockToken(owner);
                throw new SegmentBusyException("the lock of segment " + file + " is held by live process pid " + pid
                        + " for longer than the wait allowed", pid);
            }
            backOff(attempt);
        }
    }

    /** Releases the lock; the CAS's release half publishes every store of the critical section. */
    void unlock() {
        long recovered = recoveredFromPid;
        recoveredFromPid = 0;
        try {
            if (!WORD.compareAndSet(header, (long) SegmentDescriptor.LOCK_OFFSET, myToken, 0L)) {
                long owner = (long) WORD.getVolatile(header, (long) SegmentDescriptor.LOCK_OFFSET);
                throw new IllegalStateException("the lock of segment " + file + " is not held by this process (owner"
                        + " pid " + ProcessIdentity.pidOfLockToken(owner) + ")");
            }
        } finally {
            local.unlock();
        }
        if (recovered != 0) {
            LOG.log(System.Logger.Level.WARNING, "recovered the lock of segment {0} from dead process pid {1}",
                    file, Long.toString(recovered));
        }
    }

    /** Current owner token, 0 when free. */
    long ownerToken() {
        return (long) WORD.getAcquire(header, (long) SegmentDescriptor.LOCK_OFFSET);
    }

    /** How many times this process took the lock over from a dead owner. */
    long recoveries() {
        return recoveries.get();
    }

    private static void backOff(int attempt) {
        if (attempt < 64) {
            Thread.onSpinWait();
        } else if (attempt < 128) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, 10_000L << Math.min(attempt - 128, 7)));
        }
    }
}
