package dev.heatgrid.segment;

import static dev.heatgrid.segment.FrameDescriptor.*;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;

/**
 * The published generation and the N frame buffers of one mapping: the seqlock protocol of
 * docs/FORMAT.md section 4 in one place, so the writer, readers and the jcstress tests run the very
 * same loads, stores and fences.
 */
final class FrameStore {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.varHandle();
    private static final ValueLayout.OfLong U64 = SegmentLayout.U64;
    private static final ValueLayout.OfInt U32 = SegmentLayout.U32;
    private static final ValueLayout.OfDouble F64 = SegmentLayout.F64;
    /** What the bytes after a frame's parameter text must be. */
    private static final MemorySegment ZEROS = MemorySegment.ofArray(new byte[PARAMS_CAPACITY]);

    private final MemorySegment header;
    private final SegmentLayout layout;
    private final Path file;
    private final MemorySegment[] frameHeaders;
    private final MemorySegment[][] fields;
    /** The last parameter text found valid, so an unchanged text is not parsed on every publish or read. */
    private String lastValidParams;
    /**
     * Writer only: the parameter text each buffer's header holds since this process last wrote it.
     * Nothing else ever writes that slot, so an unchanged text need not be encoded and rewritten.
     */
    private final String[] paramsWritten;

    FrameStore(MemorySegment mapping, SegmentLayout layout, Path file) {
        this.header = mapping.asSlice(0, SegmentDescriptor.HEADER_SIZE);
        this.layout = layout;
        this.file = file;
        int buffers = layout.buffers();
        int fieldCount = layout.fields().size();
        long fieldBytes = layout.spec().fieldBytes();
        this.frameHeaders = new MemorySegment[buffers];
        this.fields = new MemorySegment[buffers][fieldCount];
        this.paramsWritten = new String[buffers];
        for (int b = 0; b < buffers; b++) {
            frameHeaders[b] = mapping.asSlice(layout.bufferOffset(b), layout.frameHeaderSize());
            for (int f = 0; f < fieldCount; f++) {
                fields[b][f] = mapping.asSlice(layout.fieldOffset(b, f), fieldBytes);
            }
        }
    }

    /** Newest published generation, 0 if none. Acquire: pairs with the release in {@link #publish}. */
    long generation() {
        return (long) WORD.getAcquire(header, (long) SegmentDescriptor.GENERATION_OFFSET);
    }

    /**
     * The published generation of a file that is not mapped (a creator deciding whether a kept
     * segment holds frames), read through its descriptor while its writer byte is locked.
     */
    static long generationIn(FileChannel channel) throws IOException {
        return SegmentFile.readU64(channel, SegmentDescriptor.GENERATION_OFFSET);
    }

    /** Reader: a stamp for the newest complete frame, or 0 if there is none right now. */
    long tryOptimisticRead() {
        long generation = generation();
        if (generation == 0) {
            return 0;
        }
        // Acquire: the caller's loads of the frame cannot move above this check of the sequence word.
        return seqAcquire(layout.bufferOf(generation)) == completeSeq(generation) ? generation : 0;
    }

    /** Reader: whether everything read since {@code stamp} was obtained belongs to that one frame. */
    boolean validate(long stamp) {
        if (stamp == 0) {
            return false;
        }
        // Acquire fence: the caller's loads of the frame complete before we look at the sequence
        // word again; if the writer touched the buffer meanwhile, the word has moved on.
        VarHandle.loadLoadFence();
        return seqOpaque(layout.bufferOf(stamp)) == completeSeq(stamp);
    }

    /**
     * Writer, under the shared lock, after {@link #writeHeader}: marks generation g complete and
     * makes it the newest.
     */
    void publish(long generation) {
        int buffer = layout.bufferOf(generation);
        // Release: every store into the buffer (data and frame header) happens-before a reader that
        // acquires this value.
        WORD.setRelease(frameHeaders[buffer], (long) SEQ, completeSeq(generation));
        // Release: a reader that acquires this generation also sees the complete mark above.
        WORD.setRelease(header, (long) SegmentDescriptor.GENERATION_OFFSET, generation);
    }

    /** A field's cells in a buffer (read-only if the mapping is). */
    MemorySegment field(int buffer, int field) {
        return fields[buffer][field];
    }

    /** Acquire: loads after this one (the frame's data) cannot move before it. */
    long seqAcquire(int buffer) {
        return (long) WORD.getAcquire(frameHeaders[buffer], (long) SEQ);
    }

    /** Opaque: a fresh load each call, ordered by the caller's fence. */
    long seqOpaque(int buffer) {
        return (long) WORD.getOpaque(frameHeaders[buffer], (long) SEQ);
    }

    /** Writer: announce that generation {@code g} is being written into {@code buffer}. */
    void markInProgress(int buffer, long generation) {
        WORD.setOpaque(frameHeaders[buffer], (long) SEQ, inProgressSeq(generation));
        // Store-store fence: no store into the buffer may become visible before the odd mark, or a
        // reader could see new data under the old (even) sequence value.
        VarHandle.storeStoreFence();
    }

    /** Writer: the frame header fields (plain stores; covered by the sequence word). */
    void writeHeader(int buffer, long generation, long step, double time, long publishNanos,
                     List<FieldStats> stats, String params) {
        MemorySegment h = frameHeaders[buffer];
        h.set(U64, GENERATION, generation);
        h.set(U64, STEP, step);
        h.set(F64, TIME, time);
        h.set(U64, PUBLISH_NANOS, publishNanos);
        for (int f = 0; f < stats.size(); f++) {
            long at = STATS + (long) f * STATS_SIZE;
            FieldStats s = stats.get(f);
            h.set(F64, at + STAT_MIN, s.min());
            h.set(F64, at + STAT_MAX, s.max());
            h.set(F64, at + STAT_MEAN, s.mean());
            h.set(F64, at + STAT_TOTAL, s.total());
            h.set(U64, at + STAT_CHECKSUM, s.checksum());
        }
        if (params.equals(paramsWritten[buffer])) {
            return; // the slot already holds exactly this text (and zeros after it)
        }
        paramsWritten[buffer] = null; // until the slot is whole again
        if (!params.equals(lastValidParams)) {
            SegmentSpec.decodeParams(params); // a writer never publishes a text readers must call damaged
            lastValidParams = params;
        }
        byte[] text = FixedText.encode(params, PARAMS_CAPACITY, "frame parameters");
        h.set(U32, PARAMS_LENGTH, text.length);
        MemorySegment slot = h.asSlice(PARAMS, PARAMS_CAPACITY);
        slot.fill((byte) 0);
        MemorySegment.copy(text, 0, slot, ValueLayout.JAVA_BYTE, 0, text.length);
        paramsWritten[buffer] = params;
    }

    /**
     * Reads a frame header. Under an optimistic read the bytes may be torn, so this never throws on
     * garbage: out-of-range lengths are clamped and bad UTF-8 is replaced; {@code validate} decides.
     */
    FrameHeader readHeader(int buffer) {
        MemorySegment h = frameHeaders[buffer];
        var stats = new ArrayList<FieldStats>(layout.fields().size());
        for (int f = 0; f < layout.fields().size(); f++) {
            long at = STATS + (long) f * STATS_SIZE;
            stats.add(new FieldStats(h.get(F64, at + STAT_MIN), h.get(F64, at + STAT_MAX),
                    h.get(F64, at + STAT_MEAN), h.get(F64, at + STAT_TOTAL), h.get(U64, at + STAT_CHECKSUM)));
        }
        int length = Math.clamp(Integer.toUnsignedLong(h.get(U32, PARAMS_LENGTH)), 0, PARAMS_CAPACITY - 1);
        byte[] text = new byte[length];
        MemorySegment.copy(h, ValueLayout.JAVA_BYTE, PARAMS, text, 0, length);
        return new FrameHeader(h.get(U64, GENERATION), h.get(U64, STEP), h.get(F64, TIME), h.get(U64, PUBLISH_NANOS),
                stats, new String(text, java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Reader, between the stamp and its validation: what is wrong with the raw parameter bytes of a
     * buffer, or null. FORMAT.md section 3: the length L is authoritative and below 2048, and every byte
     * after the text is zero. Meaningful only if the read then validates.
     */
    String parametersDamage(int buffer) {
        MemorySegment h = frameHeaders[buffer];
        long length = Integer.toUnsignedLong(h.get(U32, PARAMS_LENGTH));
        if (length >= PARAMS_CAPACITY) {
            return "its parameter length is " + length + "; at most " + (PARAMS_CAPACITY - 1) + " fit";
        }
        // One vectorised comparison, not a byte loop: cheap even for a reader still in the interpreter.
        long nonZero = MemorySegment.mismatch(h, PARAMS + length, PARAMS + PARAMS_CAPACITY, ZEROS, 0,
                PARAMS_CAPACITY - length);
        return nonZero < 0 ? null : "byte " + (length + nonZero) + " of its parameter field, after the " + length
                + "-byte text, is not zero";
    }

    /** Checksums of each field of a buffer, read in place. */
    long[] checksums(int buffer) {
        long[] sums = new long[fields[buffer].length];
        for (int f = 0; f < sums.length; f++) {
            sums[f] = FrameChecksum.of(fields[buffer][f], layout.cells());
        }
        return sums;
    }

    /**
     * The one verdict on a consistent frame (a read, a copy of one generation, a resume): its header
     * names the generation asked for, its parameter text follows the format ({@code parametersDamage}
     * read in the same window, then the lines) and each field whose checksum was computed has the
     * checksum the header promises. Any failure is damage, never a race.
     *
     * @param checksummed whether the checksum of field f was computed
     * @param checksum    the checksum of field f over the bytes read
     */
    void verify(long generation, FrameHeader header, String parametersDamage, IntPredicate checksummed,
                IntToLongFunction checksum) throws FrameCorruptedException {
        if (header.generation() != generation) {
            throw new FrameCorruptedException(file, generation, "its frame header says generation "
                    + header.generation());
        }
        if (parametersDamage != null) {
            throw new FrameCorruptedException(file, generation, parametersDamage);
        }
        if (!header.params().equals(lastValidParams)) {
            try {
                SegmentSpec.decodeParams(header.params());
            } catch (IllegalArgumentException e) {
                throw new FrameCorruptedException(file, generation, "its " + e.getMessage());
            }
            lastValidParams = header.params();
        }
        for (int f = 0; f < layout.fields().size(); f++) {
            if (checksummed.test(f)) {
                long actual = checksum.applyAsLong(f);
                long promised = header.stats().get(f).checksum();
                if (actual != promised) {
                    throw new FrameCorruptedException(file, generation, layout.fields().get(f), promised, actual);
                }
            }
        }
    }
}
