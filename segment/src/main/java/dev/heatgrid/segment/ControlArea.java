package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The steering part of the header (docs/FORMAT.md §7): one command slot that clients fill under
 * the shared lock, the writer's acknowledgement, a log of the last {@link SegmentDescriptor#LOG_ENTRIES}
 * commands and the newest result message. Every word that announces something (the slot's seq, a
 * log entry's seq, the log count) is stored last with release, so a process that dies half way
 * leaves nothing visible; the slot is also sealed ({@link CommandSeal}) and addressed to one writer
 * run with an expiry, so a stale or half-overwritten command is never obeyed.
 */
final class ControlArea {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final ValueLayout.OfLong U64 = SegmentLayout.U64;
    private static final ValueLayout.OfInt U32 = SegmentLayout.U32;
    private static final ValueLayout.OfDouble F64 = SegmentLayout.F64;
    private static final int KEY_WORDS = COMMAND_KEY_CAPACITY / Long.BYTES;
    /** Whatever expiry a poster asks for, a command older than this is void. */
    static final long MAX_COMMAND_AGE_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final MemorySegment header;
    private final Path file;

    ControlArea(MemorySegment header, Path file) {
        this.header = header;
        this.file = file;
    }

    /**
     * What a client posts.
     *
     * @param code          the command
     * @param key           parameter name for SET, else empty
     * @param args          up to {@link SegmentDescriptor#COMMAND_ARG_COUNT} arguments
     * @param posterPid     the posting process
     * @param target        the writer run it is for
     * @param postedNanos   {@code CLOCK_MONOTONIC} when posted
     * @param expiresNanos  {@code CLOCK_MONOTONIC} after which the writer must not take it
     */
    record Post(SteeringCode code, String key, double[] args, long posterPid, WriterRun target, long postedNanos,
                long expiresNanos) {
    }

    /** What the writer found in the slot: a command to obey, or one it discards and why. */
    record Take(SteeringCommand command, String discardReason) {
        boolean accepted() {
            return discardReason == null;
        }
    }

    /** Seq of the newest posted command (0 if none); acquire pairs with the poster's CAS. */
    long postedSeq() {
        return (long) WORD.getAcquire(header, (long) COMMAND_SEQ_OFFSET);
    }

    /** Seq of the newest command the writer took out of the slot. */
    long takenSeq() {
        return (long) WORD.getAcquire(header, (long) APPLIED_SEQ_OFFSET);
    }

    /**
     * Client side, holding {@code lock}: fills the slot and announces it. Returns the seq, or 0 if
     * the previous command is still pending (release the lock and try again later).
     *
     * <p>Every store is fenced ({@link SharedLock#checkHeld}), the seal is stored last, and the seq is
     * announced with a CAS from the value seen at the start, so a poster whose lease expired fails
     * instead of overwriting a newer command's announcement.
     *
     * @throws LeaseExpiredException the lock was taken over before the command was announced: not posted
     * @throws java.io.IOException   the slot was overwritten by a process whose lease had expired: not posted
     */
    long post(SharedLock lock, Post post) throws java.io.IOException {
        // Volatile, after taking the lock: the newest announcement, which the CAS below must still find.
        long posted = (long) WORD.getVolatile(header, (long) COMMAND_SEQ_OFFSET);
        if (takenSeq() < posted) {
            return 0;
        }
        long seq = posted + 1;
        long[] words = slotWords(post, lock.fence());
        long seal = CommandSeal.of(seq, words);
        for (int i = 0; i < words.length; i++) {
            lock.checkHeld();
            WORD.setOpaque(header, COMMAND_CODE_OFFSET + (long) i * Long.BYTES, words[i]);
        }
        lock.checkHeld();
        WORD.setOpaque(header, (long) COMMAND_SEAL_OFFSET, seal);
        lock.checkHeld();
        // CAS (release half): the writer that acquires the new seq sees every word above.
        if (WORD.compareAndSet(header, (long) COMMAND_SEQ_OFFSET, posted, seq)) {
            return seq;
        }
        // A poster whose lease expired announced the slot late (its one store after losing the lock,
        // SharedLock point 3). If the slot is ours, whole, and we still hold the lock, it is our command.
        if ((long) WORD.getVolatile(header, (long) COMMAND_SEQ_OFFSET) == seq
                && (long) WORD.getVolatile(header, (long) COMMAND_SEAL_OFFSET) == seal && lock.holds()) {
            return seq;
        }
        lock.checkHeld();
        throw new java.io.IOException("the command slot of segment " + file + " was announced or overwritten by a"
                + " process whose lock lease had expired; this command was not posted");
    }

    /** The slot's words from 0x408 to 0x470, as {@link CommandSeal} and the format lay them out. */
    private static long[] slotWords(Post post, long fence) {
        long[] words = new long[CommandSeal.WORDS];
        words[0] = Integer.toUnsignedLong(post.code().code()) | (post.posterPid() << 32);
        for (int i = 0; i < COMMAND_ARG_COUNT; i++) {
            words[1 + i] = Double.doubleToRawLongBits(i < post.args().length ? post.args()[i] : 0.0);
        }
        byte[] key = FixedText.encode(post.key(), COMMAND_KEY_CAPACITY, "parameter name");
        var keyWords = java.nio.ByteBuffer.allocate(COMMAND_KEY_CAPACITY).order(ByteOrder.LITTLE_ENDIAN).put(key)
                .flip().limit(COMMAND_KEY_CAPACITY);
        for (int i = 0; i < KEY_WORDS; i++) {
            words[1 + COMMAND_ARG_COUNT + i] = keyWords.getLong(i * Long.BYTES);
        }
        int at = (COMMAND_TARGET_START_OFFSET - COMMAND_CODE_OFFSET) / Long.BYTES;
        words[at] = post.target().startToken();
        words[at + 1] = (post.target().pid() & 0xFFFF_FFFFL) | (post.target().run() << 32);
        words[at + 2] = post.postedNanos();
        words[at + 3] = post.expiresNanos();
        words[at + 4] = fence;
        return words;
    }

    /**
     * Writer side, lock held: takes the pending command out of the slot (or returns null if there
     * is none) and says whether {@code me} may obey it: the seal must match, the command must be
     * addressed to this writer run, and it must not have expired.
     *
     * <p>Expiry is decided after the taken seq is stored, behind a full fence: a poster that gives up
     * looks at the clock, then (full fence) at the taken seq, so either it sees the command taken, or
     * this writer's clock reading comes after the poster's deadline and the command is discarded.
     */
    Take take(WriterRun me) {
        long posted = postedSeq();
        if (posted <= takenSeq()) {
            return null;
        }
        // One read of the slot (opaque: a poster whose lease expired may still store into it); the
        // seal is checked on these words and the command is built from them, never from a second read.
        long[] words = new long[CommandSeal.WORDS];
        for (int i = 0; i < words.length; i++) {
            words[i] = (long) WORD.getOpaque(header, COMMAND_CODE_OFFSET + (long) i * Long.BYTES);
        }
        long seal = (long) WORD.getOpaque(header, (long) COMMAND_SEAL_OFFSET);
        SteeringCommand command = slotCommand(posted, words);
        // Volatile: the slot is free again only after we read it; with the fence below, ordered before
        // the clock reading that decides expiry.
        WORD.setVolatile(header, (long) APPLIED_SEQ_OFFSET, posted);
        VarHandle.fullFence();
        long now = System.nanoTime();
        return new Take(command, discardReason(posted, words, seal, me, now));
    }

    private static String discardReason(long seq, long[] words, long seal, WriterRun me, long now) {
        if (CommandSeal.of(seq, words) != seal) {
            return "its seal does not match the slot (overwritten by a poster whose lock lease expired, or posted by"
                    + " a client older than format 1.1)";
        }
        int at = (COMMAND_TARGET_START_OFFSET - COMMAND_CODE_OFFSET) / Long.BYTES;
        var target = new WriterRun(words[at + 1] & 0xFFFF_FFFFL, words[at], words[at + 1] >>> 32);
        if (target.pid() != (me.pid() & 0xFFFF_FFFFL) || target.startToken() != me.startToken()
                || target.run() != (me.run() & 0xFFFF_FFFFL)) {
            return "it was posted to the writer " + target + ", not to this one, " + me + ": a command belongs to"
                    + " the writer run it was posted to";
        }
        long postedAt = words[at + 2];
        long expires = words[at + 3];
        long age = now - postedAt;
        if (now - expires > 0 || age > MAX_COMMAND_AGE_NANOS || age < -MAX_COMMAND_AGE_NANOS) {
            return "it expired: posted " + TimeUnit.NANOSECONDS.toMillis(age) + " ms ago, valid for "
                    + TimeUnit.NANOSECONDS.toMillis(expires - postedAt) + " ms (its poster has stopped waiting)";
        }
        return null;
    }

    /** Writer side, lock held: appends a command and its outcome to the log, and says why. */
    void record(SteeringCommand command, long step, long generation, int result, String message) {
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a command's outcome is recorded with its reason");
        }
        // Same discipline as a log entry: invalidate, fence, write, announce with release.
        WORD.setOpaque(header, (long) RESULT_SEQ_OFFSET, 0L);
        VarHandle.storeStoreFence();
        FixedText.write(header, RESULT_MESSAGE_OFFSET, RESULT_MESSAGE_CAPACITY,
                truncate(message, RESULT_MESSAGE_CAPACITY - 1), "result message");
        WORD.setRelease(header, (long) RESULT_SEQ_OFFSET, command.seq());
        appendToLog(command, step, generation, result);
    }

    /** The writer's explanation of command {@code seq}, or null if it is gone (a newer command's replaced it). */
    String resultMessage(long seq) {
        if ((long) WORD.getAcquire(header, (long) RESULT_SEQ_OFFSET) != seq) {
            return null;
        }
        String message;
        try {
            message = FixedText.read(header, RESULT_MESSAGE_OFFSET, RESULT_MESSAGE_CAPACITY, file, "result message");
        } catch (SegmentFormatException e) {
            return null; // being rewritten
        }
        // Acquire fence: the text loads complete before we check it still belongs to seq.
        VarHandle.loadLoadFence();
        return (long) WORD.getOpaque(header, (long) RESULT_SEQ_OFFSET) == seq ? message : null;
    }

    /** Cuts text to at most {@code maxBytes} bytes of UTF-8 without splitting a character. */
    private static String truncate(String text, int maxBytes) {
        String cut = text.replace('\0', ' ').replace('\n', ' ');
        while (cut.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }

    private void appendToLog(SteeringCommand command, long step, long generation, int result) {
        // Only the writer stores the count, so any load sees its own last store; opaque is enough.
        long count = (long) WORD.getOpaque(header, (long) LOG_COUNT_OFFSET);
        long entry = LOG_OFFSET + (count % LOG_ENTRIES) * LOG_ENTRY_SIZE;
        // A reader must not take the half-rewritten entry for the old one: zero its seq first,
        // and keep the field stores from becoming visible before that.
        WORD.setOpaque(header, entry + LOG_SEQ, 0L);
        VarHandle.storeStoreFence();
        header.set(U64, entry + LOG_STEP, step);
        header.set(U64, entry + LOG_GENERATION, generation);
        header.set(U32, entry + LOG_CODE, command.rawCode());
        header.set(U32, entry + LOG_RESULT, result);
        header.set(U32, entry + LOG_POSTER_PID, (int) command.posterPid());
        for (int i = 0; i < COMMAND_ARG_COUNT; i++) {
            header.set(F64, entry + LOG_ARGS + (long) i * Double.BYTES, command.arg(i));
        }
        FixedText.write(header, entry + LOG_KEY, COMMAND_KEY_CAPACITY, validKey(command.key()), "parameter name");
        // Release: whoever sees the entry's seq sees its fields; then the count covers it.
        WORD.setRelease(header, entry + LOG_SEQ, command.seq());
        WORD.setRelease(header, (long) LOG_COUNT_OFFSET, count + 1);
    }

    /** A key read from a damaged slot may be too long or hold a NUL: log what fits. */
    private static String validKey(String key) {
        String clean = key.replace('\0', ' ');
        return clean.getBytes(StandardCharsets.UTF_8).length < COMMAND_KEY_CAPACITY ? clean : "";
    }

    /** The log, newest first; entries being rewritten at this moment are left out. Works read-only. */
    List<CommandRecord> log() {
        long count = (long) WORD.getAcquire(header, (long) LOG_COUNT_OFFSET);
        var records = new ArrayList<CommandRecord>();
        for (long n = count - 1; n >= 0 && n >= count - LOG_ENTRIES; n--) {
            long entry = LOG_OFFSET + (n % LOG_ENTRIES) * LOG_ENTRY_SIZE;
            long seq = (long) WORD.getAcquire(header, entry + LOG_SEQ);
            if (seq == 0) {
                continue;
            }
            SteeringCommand command = readCommand(seq, entry + LOG_CODE, entry + LOG_POSTER_PID, entry + LOG_ARGS,
                    entry + LOG_KEY);
            long step = header.get(U64, entry + LOG_STEP);
            long generation = header.get(U64, entry + LOG_GENERATION);
            int result = header.get(U32, entry + LOG_RESULT);
            // Acquire fence: the field loads above complete before we re-check the seq.
            VarHandle.loadLoadFence();
            if ((long) WORD.getOpaque(header, entry + LOG_SEQ) != seq) {
                continue;
            }
            records.add(new CommandRecord(command, step, generation, result));
        }
        return records;
    }

    /** The command in slot words as {@link #slotWords} lays them out; a damaged key reads as empty. */
    private SteeringCommand slotCommand(long seq, long[] words) {
        MemorySegment slot = MemorySegment.ofArray(words); // little-endian like the file (FORMAT.md §1)
        int raw = (int) words[0];
        double[] args = new double[COMMAND_ARG_COUNT];
        for (int i = 0; i < COMMAND_ARG_COUNT; i++) {
            args[i] = Double.longBitsToDouble(words[1 + i]);
        }
        String key;
        try {
            key = FixedText.read(slot, (long) (1 + COMMAND_ARG_COUNT) * Long.BYTES, COMMAND_KEY_CAPACITY, file, "command key");
        } catch (SegmentFormatException e) {
            key = "";
        }
        return new SteeringCommand(seq, SteeringCode.of(raw), raw, key, args, words[0] >>> 32);
    }

    /** Reads a log entry's command fields; a torn or damaged key reads as empty (the caller's checks reject the entry). */
    private SteeringCommand readCommand(long seq, long codeAt, long pidAt, long argsAt, long keyAt) {
        MemorySegment h = header;
        int raw = h.get(U32, codeAt);
        double[] args = new double[COMMAND_ARG_COUNT];
        for (int i = 0; i < COMMAND_ARG_COUNT; i++) {
            args[i] = h.get(F64, argsAt + (long) i * Double.BYTES);
        }
        String key;
        try {
            key = FixedText.read(h, keyAt, COMMAND_KEY_CAPACITY, file, "command key");
        } catch (SegmentFormatException e) {
            key = "";
        }
        return new SteeringCommand(seq, SteeringCode.of(raw), raw, key, args, Integer.toUnsignedLong(h.get(U32, pidAt)));
    }
}
