package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;

/**
 * The checksum of a field's data (docs/FORMAT.md, "Checksum"): with {@code w[i]} the 64-bit
 * little-endian word of cell {@code i = y * nx + x},
 * <pre>  checksum = sum over i of (w[i] XOR (i * MIX))   modulo 2^64</pre>
 * The XOR with a position-dependent constant makes moved or swapped cells count; the modular sum
 * makes the result independent of the order cells are visited in, so a writer can compute it per
 * row band, in any thread, inside its kernel, and add the parts. It costs one load, one XOR and one
 * add per cell; on data in cache the vector loop ({@link ChecksumLoop}) runs at ~0.12 ns per cell,
 * where CRC32C measured ~6x that here (docs/BENCHMARKS.md).
 */
public final class FrameChecksum {
    /** 2^64 / golden ratio, odd: consecutive multiples differ in many bits. */
    public static final long MIX = 0x9E37_79B9_7F4A_7C15L;

    /** 16 KiB: a chunk copied and then summed is still in L1 (measured best of 16 KiB .. 1 MiB). */
    private static final long CHUNK_CELLS = 2048;
    private static final ChecksumLoop LOOP = ChecksumLoop.best();

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
        return LOOP.partial(data, firstCell, count);
    }

    /**
     * Copies a field of {@code cells} cells from {@code source} to {@code destination} and returns
     * the checksum of what arrived there. Works in cache-sized chunks, checksumming each chunk right
     * after copying it, so the data is read from memory once instead of twice.
     *
     * <p>Each chunk is summed where it is native memory: a reader copies a mapping into a heap array,
     * which the vector loop does not read ({@link VectorChecksumLoop}), and summing the copy one value
     * at a time made its reads 3x slower than the writer's publishes, so that a writer publishing 2 MiB
     * frames flat out overtook nearly every read (docs/BENCHMARKS.md, "Issue 8 on the AVX2 host").
     * The chunk just copied holds the same words on both sides unless the source changed meanwhile,
     * which is a torn read that a reader's validation rejects.
     */
    public static long copyAndSum(MemorySegment source, MemorySegment destination, long cells) {
        MemorySegment summed = destination.isNative() || !source.isNative() ? destination : source;
        long sum = 0;
        for (long first = 0; first < cells; first += CHUNK_CELLS) {
            long count = Math.min(CHUNK_CELLS, cells - first);
            long offset = first * Long.BYTES;
            MemorySegment.copy(source, offset, destination, offset, count * Long.BYTES);
            sum += partial(summed.asSlice(offset, count * Long.BYTES), first, count);
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
