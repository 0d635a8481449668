package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The checksum of a field's data (docs/FORMAT.md, "Checksum"): with {@code w[i]} the 64-bit
 * little-endian word of cell {@code i = y * nx + x},
 * <pre>  checksum = sum over i of (w[i] XOR (i * MIX))   modulo 2^64</pre>
 * The XOR with a position-dependent constant makes moved or swapped cells count; the modular sum
 * makes the result independent of the order cells are visited in, so a writer can compute it per
 * row band, in any thread, inside its kernel, and add the parts. It costs one load, one XOR and one
 * add per cell (a vector kernel folds it in nearly for free), where CRC32C measured ~6x the
 * in-cache cost of this sum here (docs/BENCHMARKS.md).
 */
public final class FrameChecksum {
    /** 2^64 / golden ratio, odd: consecutive multiples differ in many bits. */
    public static final long MIX = 0x9E37_79B9_7F4A_7C15L;

    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private FrameChecksum() {
    }

    /** Checksum of a whole field of {@code cells} cells stored from byte 0 of {@code data}. */
    public static long of(MemorySegment data, long cells) {
        return partial(data, 0, cells);
    }

    /**
     * The contribution of cells {@code [firstCell, firstCell + count)}, whose words start at byte 0
     * of {@code data}. Contributions of disjoint ranges add up ({@link #combine}) to the checksum.
     */
    public static long partial(MemorySegment data, long firstCell, long count) {
        long sum = 0;
        long mix = firstCell * MIX;
        for (long i = 0; i < count; i++) {
            sum += data.getAtIndex(WORD, i) ^ mix;
            mix += MIX;
        }
        return sum;
    }

    /** Checksum of a field held in an array. */
    public static long of(double[] field) {
        return of(MemorySegment.ofArray(field), field.length);
    }

    /** Sum of partial checksums of disjoint cell ranges. */
    public static long combine(long a, long b) {
        return a + b;
    }
}
