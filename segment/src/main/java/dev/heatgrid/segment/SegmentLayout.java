package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * Where everything lives in one segment file: the spec it was created from plus the derived sizes
 * and offsets, and the creation identity. Built either for a new file ({@link #forNewSegment}) or by
 * {@link #read validating} an existing header, which is the only way a reader learns sizes: nothing
 * is mapped or allocated from a header value before this class has checked it against the file.
 */
public final class SegmentLayout {
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final SegmentSpec spec;
    private final int minorVersion;
    private final int frameHeaderSize;
    private final long fieldStride;
    private final long bufferSize;
    private final long[] bufferOffsets;
    private final long fileSize;
    private final long createdEpochNanos;
    private final long segmentId;

    private SegmentLayout(SegmentSpec spec, int minorVersion, int frameHeaderSize, long fieldStride, long bufferSize,
                          long[] bufferOffsets, long fileSize, long createdEpochNanos, long segmentId) {
        this.spec = spec;
        this.minorVersion = minorVersion;
        this.frameHeaderSize = frameHeaderSize;
        this.fieldStride = fieldStride;
        this.bufferSize = bufferSize;
        this.bufferOffsets = bufferOffsets;
        this.fileSize = fileSize;
        this.createdEpochNanos = createdEpochNanos;
        this.segmentId = segmentId;
    }

    /** Lays out a new segment: every field page-aligned, buffers back to back after the header. */
    public static SegmentLayout forNewSegment(SegmentSpec spec) {
        long fieldStride = roundUp(spec.fieldBytes(), PAGE_SIZE);
        long bufferSize = Math.addExact(FrameDescriptor.FRAME_HEADER_SIZE,
                Math.multiplyExact(fieldStride, spec.fields().size()));
        long[] offsets = new long[spec.buffers()];
        for (int k = 0; k < offsets.length; k++) {
            offsets[k] = HEADER_SIZE + k * bufferSize;
        }
        long fileSize = Math.addExact(HEADER_SIZE, Math.multiplyExact(bufferSize, spec.buffers()));
        java.time.Instant now = java.time.Instant.now();
        long created = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        long id = new SecureRandom().nextLong();
        return new SegmentLayout(spec, MINOR_VERSION, FrameDescriptor.FRAME_HEADER_SIZE, fieldStride, bufferSize, offsets,
                fileSize, created, id == 0 ? 1 : id);
    }

    public SegmentSpec spec() {
        return spec;
    }

    /**
     * The file's minor format version (its major version is {@link SegmentDescriptor#MAJOR_VERSION}, or
     * it would not have been read): a newer minor only adds fields in reserved space.
     */
    public int minorVersion() {
        return minorVersion;
    }

    public int nx() {
        return spec.nx();
    }

    public int ny() {
        return spec.ny();
    }

    /** Cells in one field. */
    public long cells() {
        return (long) spec.nx() * spec.ny();
    }

    public List<String> fields() {
        return spec.fields();
    }

    public int buffers() {
        return spec.buffers();
    }

    public long fileSize() {
        return fileSize;
    }

    public long bufferSize() {
        return bufferSize;
    }

    public long fieldStride() {
        return fieldStride;
    }

    public int frameHeaderSize() {
        return frameHeaderSize;
    }

    public long createdEpochNanos() {
        return createdEpochNanos;
    }

    /** Random identity chosen at creation; a file replaced under the same name has another one. */
    public long segmentId() {
        return segmentId;
    }

    public long bufferOffset(int buffer) {
        return bufferOffsets[buffer];
    }

    /** The buffer that holds generation {@code g}: {@code g mod N}. */
    public int bufferOf(long generation) {
        return (int) Long.remainderUnsigned(generation, spec.buffers());
    }

    /** File offset of a field's first cell in a buffer. */
    public long fieldOffset(int buffer, int field) {
        return bufferOffsets[buffer] + frameHeaderSize + field * fieldStride;
    }

    /** Writes the identity, geometry and creation parameters into a zeroed header. */
    void write(MemorySegment header) {
        header.set(U64, MAGIC_OFFSET, MAGIC);
        header.set(U16, MAJOR_VERSION_OFFSET, (short) MAJOR_VERSION);
        header.set(U16, MINOR_VERSION_OFFSET, (short) MINOR_VERSION);
        header.set(U32, HEADER_SIZE_OFFSET, HEADER_SIZE);
        header.set(U64, FILE_SIZE_OFFSET, fileSize);
        header.set(U32, FLAGS_OFFSET, spec.keep() ? FLAG_KEEP : 0);
        header.set(U32, FRAME_HEADER_SIZE_OFFSET, frameHeaderSize);
        header.set(U32, NX_OFFSET, spec.nx());
        header.set(U32, NY_OFFSET, spec.ny());
        header.set(U32, FIELD_COUNT_OFFSET, spec.fields().size());
        header.set(U32, BUFFER_COUNT_OFFSET, spec.buffers());
        header.set(U64, FIELD_STRIDE_OFFSET, fieldStride);
        header.set(U64, BUFFER_SIZE_OFFSET, bufferSize);
        header.set(F64, DX_OFFSET, spec.dx());
        header.set(F64, DY_OFFSET, spec.dy());
        header.set(F64, DT_OFFSET, spec.dt());
        header.set(U64, CREATED_EPOCH_NANOS_OFFSET, createdEpochNanos);
        header.set(U64, SEGMENT_ID_OFFSET, segmentId);
        header.set(U32, TILE_ORIGIN_X_OFFSET, spec.tile().originX());
        header.set(U32, TILE_ORIGIN_Y_OFFSET, spec.tile().originY());
        header.set(U32, GLOBAL_NX_OFFSET, spec.tile().globalNx());
        header.set(U32, GLOBAL_NY_OFFSET, spec.tile().globalNy());
        FixedText.write(header, KERNEL_NAME_OFFSET, KERNEL_NAME_CAPACITY, spec.kernel(), "kernel name");
        FixedText.write(header, BOUNDARY_OFFSET, BOUNDARY_CAPACITY, spec.boundary(), "boundary description");
        for (int f = 0; f < spec.fields().size(); f++) {
            FixedText.write(header, FIELD_NAMES_OFFSET + (long) f * FIELD_NAME_CAPACITY, FIELD_NAME_CAPACITY,
                    spec.fields().get(f), "field name");
        }
        for (int k = 0; k < bufferOffsets.length; k++) {
            header.set(U64, BUFFER_OFFSETS_OFFSET + (long) k * Long.BYTES, bufferOffsets[k]);
        }
        FixedText.write(header, PARAMS_OFFSET, PARAMS_CAPACITY, SegmentSpec.encodeParams(spec.params()),
                "parameter text");
    }

    /**
     * Validates a header against the real size of its file. {@code header} holds the first
     * {@code min(actualFileSize, HEADER_SIZE)} bytes of the file. Every rule failure names the field.
     */
    public static SegmentLayout read(MemorySegment header, Path file, long actualFileSize)
            throws SegmentFormatException {
        if (actualFileSize < Long.BYTES || header.byteSize() < Long.BYTES) {
            throw new SegmentFormatException(file, "file size",
                    "the file is " + actualFileSize + " bytes, too short to be a heatgrid segment");
        }
        long magic = header.get(U64, MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new SegmentFormatException(file, "magic", String.format(
                    "expected \"HEATGRID\" (%016x) but found %016x: not a heatgrid segment", MAGIC, magic));
        }
        if (actualFileSize < HEADER_SIZE || header.byteSize() < HEADER_SIZE) {
            throw new SegmentFormatException(file, "file size", "the file is " + actualFileSize
                    + " bytes, shorter than the " + HEADER_SIZE + "-byte header");
        }
        int major = Short.toUnsignedInt(header.get(U16, MAJOR_VERSION_OFFSET));
        int minor = Short.toUnsignedInt(header.get(U16, MINOR_VERSION_OFFSET));
        if (major != MAJOR_VERSION) {
            throw new SegmentFormatException(file, "major version", "format version " + major + "." + minor
                    + " is not supported: this reader reads format version " + MAJOR_VERSION + ".x");
        }
        long headerSize = u32(header, HEADER_SIZE_OFFSET);
        if (headerSize < HEADER_SIZE || headerSize > MAX_HEADER_SIZE || headerSize % PAGE_SIZE != 0) {
            throw new SegmentFormatException(file, "header size", headerSize + " bytes; allowed a multiple of "
                    + PAGE_SIZE + " from " + HEADER_SIZE + " to " + MAX_HEADER_SIZE);
        }
        long fileSize = header.get(U64, FILE_SIZE_OFFSET);
        if (fileSize != actualFileSize) {
            throw new SegmentFormatException(file, "file size", "the header says " + Long.toUnsignedString(fileSize)
                    + " bytes but the file holds " + actualFileSize
                    + (Long.compareUnsigned(fileSize, actualFileSize) > 0 ? " (truncated?)" : ""));
        }
        long frameHeaderSize = u32(header, FRAME_HEADER_SIZE_OFFSET);
        if (frameHeaderSize < FrameDescriptor.FRAME_HEADER_SIZE || frameHeaderSize > MAX_HEADER_SIZE
                || frameHeaderSize % PAGE_SIZE != 0) {
            throw new SegmentFormatException(file, "frame header size", frameHeaderSize
                    + " bytes; allowed a multiple of " + PAGE_SIZE + " from " + FrameDescriptor.FRAME_HEADER_SIZE
                    + " to " + MAX_HEADER_SIZE);
        }
        int nx = (int) checkRange(file, "nx", u32(header, NX_OFFSET), 1, MAX_DIMENSION);
        int ny = (int) checkRange(file, "ny", u32(header, NY_OFFSET), 1, MAX_DIMENSION);
        int fieldCount = (int) checkRange(file, "field count", u32(header, FIELD_COUNT_OFFSET), 1, MAX_FIELDS);
        int buffers = (int) checkRange(file, "buffer count", u32(header, BUFFER_COUNT_OFFSET),
                MIN_BUFFERS, MAX_BUFFERS);

        // nx, ny <= 2^20 and fieldCount <= 16, so these products stay far below 2^63.
        long fieldBytes = (long) nx * ny * Double.BYTES;
        long fieldStride = header.get(U64, FIELD_STRIDE_OFFSET);
        if (fieldStride < fieldBytes || fieldStride > fileSize || fieldStride % Double.BYTES != 0) {
            throw new SegmentFormatException(file, "field stride", Long.toUnsignedString(fieldStride)
                    + " bytes; a " + nx + "x" + ny + " field needs at least " + fieldBytes
                    + ", a multiple of 8, within the file");
        }
        long bufferSize = header.get(U64, BUFFER_SIZE_OFFSET);
        long bufferNeed = frameHeaderSize + fieldStride * fieldCount;
        if (bufferSize < bufferNeed || bufferSize > fileSize || bufferSize % PAGE_SIZE != 0) {
            throw new SegmentFormatException(file, "buffer size", Long.toUnsignedString(bufferSize)
                    + " bytes; the frame header and " + fieldCount + " field(s) need at least " + bufferNeed
                    + ", a multiple of " + PAGE_SIZE + ", within the file");
        }
        long[] offsets = new long[buffers];
        long nextFree = headerSize;
        for (int k = 0; k < MAX_BUFFERS; k++) {
            long offset = header.get(U64, BUFFER_OFFSETS_OFFSET + (long) k * Long.BYTES);
            String name = "buffer offset[" + k + "]";
            if (k >= buffers) {
                if (offset != 0) {
                    throw new SegmentFormatException(file, name, "is " + Long.toUnsignedString(offset)
                            + " but the segment has only " + buffers + " buffers (unused entries must be 0)");
                }
                continue;
            }
            if (offset % PAGE_SIZE != 0 || Long.compareUnsigned(offset, nextFree) < 0
                    || Long.compareUnsigned(offset, fileSize - bufferSize) > 0) {
                throw new SegmentFormatException(file, name, Long.toUnsignedString(offset)
                        + "; allowed a multiple of " + PAGE_SIZE + " from " + nextFree + " (after the header and"
                        + " the previous buffer) to " + (fileSize - bufferSize) + " (the buffer must end in the file)");
            }
            offsets[k] = offset;
            nextFree = offset + bufferSize;
        }

        double dx = header.get(F64, DX_OFFSET);
        double dy = header.get(F64, DY_OFFSET);
        double dt = header.get(F64, DT_OFFSET);
        checkPositive(file, "dx", dx);
        checkPositive(file, "dy", dy);
        if (!(dt >= 0) || Double.isInfinite(dt)) {
            throw new SegmentFormatException(file, "dt", dt + "; it must be finite and >= 0");
        }
        long originX = u32(header, TILE_ORIGIN_X_OFFSET);
        long originY = u32(header, TILE_ORIGIN_Y_OFFSET);
        long globalNx = u32(header, GLOBAL_NX_OFFSET);
        long globalNy = u32(header, GLOBAL_NY_OFFSET);
        if (originX + nx > globalNx || originY + ny > globalNy || globalNx > Integer.MAX_VALUE
                || globalNy > Integer.MAX_VALUE) {
            throw new SegmentFormatException(file, "tile", "a " + nx + "x" + ny + " tile at (" + originX + ", "
                    + originY + ") does not fit in the " + globalNx + "x" + globalNy + " global grid");
        }

        String kernel = FixedText.read(header, KERNEL_NAME_OFFSET, KERNEL_NAME_CAPACITY, file, "kernel name");
        String boundary = FixedText.read(header, BOUNDARY_OFFSET, BOUNDARY_CAPACITY, file, "boundary");
        var names = new ArrayList<String>(fieldCount);
        var unique = new HashSet<String>();
        for (int f = 0; f < MAX_FIELDS; f++) {
            long at = FIELD_NAMES_OFFSET + (long) f * FIELD_NAME_CAPACITY;
            String name = FixedText.read(header, at, FIELD_NAME_CAPACITY, file, "field name[" + f + "]");
            if (f >= fieldCount) {
                if (!name.isEmpty()) {
                    throw new SegmentFormatException(file, "field name[" + f + "]", "is '" + name
                            + "' but the segment has only " + fieldCount + " field(s) (unused names must be empty)");
                }
            } else if (name.isEmpty() || !unique.add(name)) {
                throw new SegmentFormatException(file, "field name[" + f + "]",
                        name.isEmpty() ? "is empty" : "'" + name + "' appears twice");
            } else {
                names.add(name);
            }
        }
        String params = FixedText.read(header, PARAMS_OFFSET, PARAMS_CAPACITY, file, "parameters");
        java.util.Map<String, String> creationParams;
        try {
            creationParams = SegmentSpec.decodeParams(params);
        } catch (IllegalArgumentException e) {
            throw new SegmentFormatException(file, "parameters", e.getMessage());
        }

        boolean keep = (u32(header, FLAGS_OFFSET) & FLAG_KEEP) != 0;
        SegmentSpec spec;
        try {
            spec = new SegmentSpec(nx, ny, names, buffers, dx, dy, dt, kernel, boundary,
                    creationParams, new Tile((int) originX, (int) originY, (int) globalNx,
                    (int) globalNy), keep);
        } catch (IllegalArgumentException e) {
            // The rules above mirror SegmentSpec's; this catches the textual ones (names).
            throw new SegmentFormatException(file, "header", e.getMessage());
        }
        return new SegmentLayout(spec, minor, (int) frameHeaderSize, fieldStride, bufferSize, offsets, fileSize,
                header.get(U64, CREATED_EPOCH_NANOS_OFFSET), header.get(U64, SEGMENT_ID_OFFSET));
    }

    private static long u32(MemorySegment header, long offset) {
        return Integer.toUnsignedLong(header.get(U32, offset));
    }

    private static long checkRange(Path file, String field, long value, long min, long max)
            throws SegmentFormatException {
        if (value < min || value > max) {
            throw new SegmentFormatException(file, field, value + "; allowed " + min + ".." + max);
        }
        return value;
    }

    private static void checkPositive(Path file, String field, double value) throws SegmentFormatException {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new SegmentFormatException(file, field, value + "; it must be finite and > 0");
        }
    }

    private static long roundUp(long value, long multiple) {
        return Math.multiplyExact((value + multiple - 1) / multiple, multiple);
    }
}
