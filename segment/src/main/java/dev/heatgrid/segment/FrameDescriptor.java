package dev.heatgrid.segment;

/**
 * Byte offsets inside one buffer. A buffer is a frame header of {@link #FRAME_HEADER_SIZE} bytes
 * followed by the fields, each {@code nx * ny} little-endian float64 in row-major order
 * (cell (x, y) at index {@code y * nx + x}), consecutive fields {@code fieldStride} bytes apart.
 * Everything after {@link #SEQ} is covered by it: valid only while {@code seq == 2 * generation}
 * before and after reading.
 */
public final class FrameDescriptor {
    private FrameDescriptor() {
    }

    public static final int FRAME_HEADER_SIZE = SegmentDescriptor.PAGE_SIZE;

    /**
     * u64 sequence word, alone on its cache line: {@code 2g - 1} (odd) while the writer fills this
     * buffer with generation g, {@code 2g} once generation g is complete, 0 if never written.
     */
    public static final int SEQ = 0x000;
    public static final int GENERATION = 0x040;      // u64
    public static final int STEP = 0x048;            // u64, solver steps taken since the run began
    public static final int TIME = 0x050;            // f64, simulated time
    public static final int PUBLISH_NANOS = 0x058;   // i64, CLOCK_MONOTONIC (System.nanoTime on Linux)
    public static final int PARAMS_LENGTH = 0x060;   // u32, bytes used in PARAMS
    public static final int STATS = 0x080;           // MAX_FIELDS x STATS_SIZE

    public static final int STATS_SIZE = 64;
    // offsets inside one field's statistics block
    public static final int STAT_MIN = 0;            // f64
    public static final int STAT_MAX = 8;            // f64
    public static final int STAT_MEAN = 16;          // f64
    public static final int STAT_TOTAL = 24;         // f64, sum of cells * dx * dy
    public static final int STAT_CHECKSUM = 32;      // u64, FrameChecksum of the field's data

    /** UTF-8 "key=value" lines in effect for this frame (steering may change them between frames). */
    public static final int PARAMS = 0x800;
    public static final int PARAMS_CAPACITY = SegmentDescriptor.PARAMS_CAPACITY;

    /** Sequence value of a complete frame of generation {@code g}. */
    public static long completeSeq(long generation) {
        return 2 * generation;
    }

    /** Sequence value while generation {@code g} is being written. */
    public static long inProgressSeq(long generation) {
        return 2 * generation - 1;
    }
}
