package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.LOCK_FENCE_OFFSET;
import static dev.heatgrid.segment.SegmentDescriptor.LOCK_OFFSET;

import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The process-shared lock of a segment (docs/FORMAT.md §5): the only class that touches the lock
 * word (0x340, the owner's {@link ProcessIdentity#lockToken() token}, 0 when free) and the lock
 * fence (0x348, how many times the lock has been acquired). It guards the generation flip and, what
 * really needs it, the command slot that several steering clients may write.
 *
 * <p>A hold is named by its <em>acquisition</em>: the owner token and the fence value its acquirer
 * advanced the fence to. Holds end in one of three ways: the owner releases it; a waiter finds the
 * owner dead (pid gone, reused, or a zombie) and takes it over at once; or a waiter sees the very
 * same acquisition for longer than the {@link #LEASE_NANOS lease} on its own clock and takes it
 * over as failed (a stopped or hung holder). No process trusts another's clock: the lease is the
 * waiter's observation that nothing changed.
 *
 * <h2>Protocol and why it is safe</h2>
 * <pre>
 * acquire:   CAS(word, 0, me)                                   or a takeover, below
 *            repeat { if word != me: lost, start again; f = fence } until CAS(fence, f, f+1)
 *            my acquisition := (me, f+1)
 * takeover:  saw (t, f) in (word, fence) for LEASE, or t is dead:
 *            if fence == f and CAS(word, t, me): advance the fence as above
 * hold:      before every store into a word other processes also write (the command slot):
 *            holds() := word == me and fence == my fence, else stop: the lease expired
 * release:   CAS(word, me, 0); failure means the hold was taken over (reported, never hidden)
 * </pre>
 * <ol>
 * <li><b>One holder at a time, while leases are honoured.</b> The word leaves 0 only by a CAS to a
 *     token, and leaves a token only by that owner's releasing CAS or by a takeover CAS from exactly
 *     that token. CAS is atomic, so of any number of acquirers and recoverers exactly one wins each
 *     change. Tokens of different processes differ (pid, start time), and threads of one process
 *     first take a JVM-local lock, so "word == me" is held by one thread.</li>
 * <li><b>Every acquisition has its own fence value.</b> The fence only moves by CAS(f, f+1), made by
 *     a process that saw the word carry its own token just before. A late advance from a taken-over
 *     acquirer carries an expected value that the new owner's advance has already passed, so it
 *     fails; if it lands first, the new owner's CAS fails, it re-reads and advances again. Either
 *     way the fence never repeats, and the new owner's value is the current one.</li>
 * <li><b>A taken-over holder makes at most one store after losing the lock.</b> It checks
 *     {@link #holds()} (volatile loads of the word and the fence) before each store; after a
 *     takeover the word carries another token or 0 for good (the old token only comes back through
 *     a new acquisition by the same process, which the JVM-local lock excludes while this thread
 *     holds). So only a store that was already past its check when the holder stopped can land:
 *     one, and the command slot's seal ({@link CommandSeal}) makes it detectable.</li>
 * <li><b>Releasing never frees someone else's hold.</b> The release CAS expects this process's
 *     token; after a takeover the word holds another token, or 0 once that owner released, and the
 *     CAS fails: the holder learns its lease expired.</li>
 * <li><b>A waiter never takes over a live, progressing holder.</b> Every new acquisition advances
 *     the fence, so a holder that releases and re-acquires shows the waiter a new (token, fence)
 *     and the waiter's lease clock starts again. Only one unchanged acquisition for a full lease is
 *     taken over; the takeover first re-reads the fence so a re-acquisition just before the CAS is
 *     not robbed (and if it still is, by point 3 the robbed holder only loses its own hold).</li>
 * </ol>
 * Holders keep only a few aligned stores inside, announced by a final release store or CAS, so
 * whatever a dead or taken-over holder left half done is either invisible or detected.
 */
final class SharedLock {
    private static final System.Logger LOG = System.getLogger("dev.heatgrid.segment");
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final ConcurrentHashMap<Long, ReentrantLock> LOCAL = new ConcurrentHashMap<>();
    /**
     * How long a waiter lets one acquisition stand before it treats the holder as failed. Every
     * critical section is a few dozen stores (microseconds); a hold this long means the holder is
     * stopped, hung, or starved, and fencing makes taking it over safe even then.
     */
    static final long LEASE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Checking liveness reads /proc, so do it at most this often while waiting. */
    private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final MemorySegment header;
    private final Path file;
    private final ReentrantLock local;
    private final long myToken;
    private final long leaseNanos;
    private long recoveries;
    private long takeovers;
    /** This hold's fence value; meaningful while {@link #local} is held by this instance. */
    private long myFence;
    /** What to log after releasing (logging inside would lengthen the hold). */
    private String takeoverNote;

    SharedLock(MemorySegment header, Path file, long segmentId) {
        this(header, file, LOCAL.computeIfAbsent(segmentId, id -> new ReentrantLock()),
                ProcessIdentity.current().lockToken(), LEASE_NANOS);
    }

    /**
     * With an explicit JVM-local lock, token and lease: tests give two instances two locks and two
     * tokens to act as two processes, and a short lease to take over quickly.
     */
    SharedLock(MemorySegment header, Path file, ReentrantLock local, long token, long leaseNanos) {
        this.header = header;
        this.file = file;
        this.local = local;
        this.myToken = token;
        this.leaseNanos = leaseNanos;
    }

    /**
     * Takes the lock: at once if free, from a dead owner at once, from a live owner once its
     * acquisition has stood unchanged for the lease.
     *
     * @param timeoutNanos give up after this long (Long.MAX_VALUE: only the lease bounds the wait)
     * @param abandon      polled while waiting; true ends the wait with {@link InterruptedIOException}
     * @throws SegmentBusyException  the timeout passed first (names the holder's pid)
     * @throws InterruptedIOException {@code abandon} said so, or the thread was interrupted
     */
    void lock(long timeoutNanos, BooleanSupplier abandon) throws SegmentBusyException, InterruptedIOException {
        long started = System.nanoTime();
        try {
            if (!local.tryLock(timeoutNanos, TimeUnit.NANOSECONDS)) {
                throw new SegmentBusyException("the lock of segment " + file + " is held by another thread of"
                        + " this process for more than " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", 0,
                        SegmentBusyException.Reason.LOCK);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the lock of segment " + file);
        }
        boolean acquired = false;
        try {
            acquireShared(started, timeoutNanos, abandon);
            acquired = true;
        } finally {
            if (!acquired) {
                local.unlock();
            }
        }
    }

    private void acquireShared(long started, long timeoutNanos, BooleanSupplier abandon)
            throws SegmentBusyException, InterruptedIOException {
        long seenToken = 0;
        long seenFence = 0;
        long seenSince = 0;
        long nextLivenessCheck = started;
        for (int attempt = 0; ; attempt++) {
            // CAS is a full volatile access: the critical section cannot float above it.
            if (WORD.compareAndSet(header, (long) LOCK_OFFSET, 0L, myToken) && advanceFence()) {
                return;
            }
            // Acquire: if the owner changes to 0 we must see what it wrote before releasing.
            long owner = (long) WORD.getAcquire(header, (long) LOCK_OFFSET);
            long fence = (long) WORD.getAcquire(header, (long) LOCK_FENCE_OFFSET);
            long now = System.nanoTime();
            if (owner == 0) {
                continue;
            }
            if (owner != seenToken || fence != seenFence) {
                seenToken = owner; // a new acquisition: its lease starts now, on our clock
                seenFence = fence;
                seenSince = now;
            }
            if (now - nextLivenessCheck >= 0) {
                if (!ProcessIdentity.isLockTokenAlive(owner)) {
                    if (takeOver(owner, fence)) {
                        recoveries++;
                        takeoverNote = "recovered the lock of segment " + file + " from dead process pid "
                                + ProcessIdentity.pidOfLockToken(owner);
                        return;
                    }
                    continue;
                }
                nextLivenessCheck = now + LIVENESS_CHECK_NANOS;
            }
            if (now - seenSince > leaseNanos) {
                if (takeOver(owner, fence)) {
                    takeovers++;
                    takeoverNote = "took over the lock of segment " + file + " from live process pid "
                            + ProcessIdentity.pidOfLockToken(owner) + ", which held it for more than the "
                            + TimeUnit.NANOSECONDS.toMillis(leaseNanos) + " ms lease (stopped or hung)";
                    return;
                }
                continue;
            }
            if (abandon.getAsBoolean() || Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("stopped waiting for the lock of segment " + file + " (held by pid "
                        + ProcessIdentity.pidOfLockToken(owner) + ")");
            }
            if (now - started >= timeoutNanos) {
                long pid = ProcessIdentity.pidOfLockToken(owner);
                throw new SegmentBusyException("the lock of segment " + file + " is held by live process pid " + pid
                        + " for longer than the wait allowed (" + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                        + " ms; the lease would end it after " + TimeUnit.NANOSECONDS.toMillis(leaseNanos) + " ms)",
                        pid, SegmentBusyException.Reason.LOCK);
            }
            backOff(attempt);
        }
    }

    /** Takes the lock from the holder of acquisition (token, fence), if that is still the one there. */
    private boolean takeOver(long token, long fence) {
        // Re-read the fence: a release and re-acquisition by the same process since we looked is a new
        // hold, not the one whose lease ran out.
        if ((long) WORD.getVolatile(header, (long) LOCK_FENCE_OFFSET) != fence) {
            return false;
        }
        // CAS from that exact token: of several waiters taking over at once, exactly one wins.
        return WORD.compareAndSet(header, (long) LOCK_OFFSET, token, myToken) && advanceFence();
    }

    /**
     * Names this hold: advances the fence by one with a CAS, while the word still carries our token.
     * Returns false if the lock was taken over before that (then nothing was stored: try again).
     */
    private boolean advanceFence() {
        while (true) {
            if ((long) WORD.getVolatile(header, (long) LOCK_OFFSET) != myToken) {
                return false;
            }
            long fence = (long) WORD.getVolatile(header, (long) LOCK_FENCE_OFFSET);
            if (WORD.compareAndSet(header, (long) LOCK_FENCE_OFFSET, fence, fence + 1)) {
                myFence = fence + 1;
                return true;
            }
        }
    }

    /**
     * Whether this hold is still ours: the word carries our token and the fence our acquisition.
     * Volatile loads: the check cannot be reordered with the store it guards.
     */
    boolean holds() {
        return (long) WORD.getVolatile(header, (long) LOCK_OFFSET) == myToken
                && (long) WORD.getVolatile(header, (long) LOCK_FENCE_OFFSET) == myFence;
    }

    /** The fence check before a store into a shared word: throws if the lease expired and the lock was taken over. */
    void checkHeld() throws LeaseExpiredException {
        if (!holds()) {
            throw new LeaseExpiredException("this process held the lock of segment " + file + " for longer than its "
                    + TimeUnit.NANOSECONDS.toMillis(leaseNanos) + " ms lease (was it stopped?) and another process took"
                    + " it over");
        }
    }

    /** This hold's fence value (stored in the command slot, so a poster's slot names its hold). */
    long fence() {
        return myFence;
    }

    /**
     * Releases the lock. Returns false, releasing nothing, if the hold had been taken over: the
     * caller learns its lease expired. The CAS's release half publishes every store of the hold.
     */
    boolean unlock() {
        String note = takeoverNote;
        takeoverNote = null;
        boolean mine;
        try {
            mine = WORD.compareAndSet(header, (long) LOCK_OFFSET, myToken, 0L);
        } finally {
            local.unlock();
        }
        if (note != null) {
            LOG.log(System.Logger.Level.WARNING, note);
        }
        return mine;
    }

    /** Current owner token, 0 when free. */
    long ownerToken() {
        return ownerToken(header);
    }

    /** The owner token in a segment header (for observers that never take the lock), 0 when free. */
    static long ownerToken(MemorySegment header) {
        return (long) WORD.getAcquire(header, (long) LOCK_OFFSET);
    }

    /** How many times this instance took the lock over from a dead process. */
    long recoveries() {
        return recoveries;
    }

    /** How many times this instance took the lock over from a live holder whose lease had run out. */
    long takeovers() {
        return takeovers;
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
