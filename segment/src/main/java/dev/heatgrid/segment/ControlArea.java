package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The steering part of the header: one command slot that clients fill under the shared lock, the
 * writer's acknowledgement, and a log of the last {@link SegmentDescriptor#LOG_ENTRIES} commands the
 * writer applied. Every word that announces something (the slot's seq, a log entry's seq, the log
 * count) is stored last with release, so a process that dies half way leaves nothing visible.
 */
final class ControlArea {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final ValueLayout.OfLong U64 = SegmentLayout.U64;
    private static final ValueLayout.OfInt U32 = SegmentLayout.U32;
    private static final ValueLayout.OfDouble F64 = SegmentLayout.F64;

    private final MemorySegment header;
    private final Path file;

    ControlArea(MemorySegment header, Path file) {
        this.header = header;
        this.file = file;
    }

    /** Seq of the newest posted command (0 if none); acquire pairs with the poster's release. */
    long postedSeq() {
        return (long) WORD.getAcquire(header, (long) COMMAND_SEQ_OFFSET);
    }

    /** Seq of the newest command the writer took out of the slot. */
    long takenSeq() {
        return (long) WORD.getAcquire(header, (long) APPLIED_SEQ_OFFSET);
    }

    /** Client side, lock held: fills the slot; returns the seq, or 0 if the previous command is still pending. */
    long post(SteeringCode code, String key, double[] args) {
        long posted = (long) WORD.getAcquire(header, (long) COMMAND_SEQ_OFFSET);
        if (takenSeq() < posted) {
            return 0;
        }
        header.set(U32, COMMAND_CODE_OFFSET, code.code());
        header.set(U32, COMMAND_POSTER_PID_OFFSET, (int) ProcessHandle.current().pid());
        for (int i = 0; i < COMMAND_ARG_COUNT; i++) {
            header.set(F64, COMMAND_ARGS_OFFSET + (long) i * Double.BYTES, i < args.length ? args[i] : 0.0);
        }
        FixedText.write(header, COMMAND_KEY_OFFSET, COMMAND_KEY_CAPACITY, key, "parameter name");
        // Release: the writer that acquires the new seq sees every field above.
        WORD.setRelease(header, (long) COMMAND_SEQ_OFFSET, posted + 1);
        return posted + 1;
    }

    /** Writer side, lock held: takes the pending command out of the slot, or returns null. */
    SteeringCommand take() {
        long posted = postedSeq();
        if (posted <= takenSeq()) {
            return null;
        }
        SteeringCommand command = readCommand(posted, COMMAND_CODE_OFFSET, COMMAND_POSTER_PID_OFFSET,
                COMMAND_ARGS_OFFSET, COMMAND_KEY_OFFSET);
        // Release: the slot is free again only after we read it.
        WORD.setRelease(header, (long) APPLIED_SEQ_OFFSET, posted);
        return command;
    }

    /** Writer side, lock held: appends a command and its outcome to the log, and says why. */
    void record(SteeringCommand command, long step, long generation, int result, String message) {
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
        String cut = text;
        while (cut.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxBytes) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut.replace('\0', ' ');
    }

    private void appendToLog(SteeringCommand command, long step, long generation, int result) {
        long count = (long) WORD.getAcquire(header, (long) LOG_COUNT_OFFSET);
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
        FixedText.write(header, entry + LOG_KEY, COMMAND_KEY_CAPACITY, command.key(), "parameter name");
        // Release: whoever sees the entry's seq sees its fields; then the count covers it.
        WORD.setRelease(header, entry + LOG_SEQ, command.seq());
        WORD.setRelease(header, (long) LOG_COUNT_OFFSET, count + 1);
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

    /** Reads a command's fields; a torn key reads as empty (the caller's seq check rejects the entry). */
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
