package dev.heatgrid.segment;

/**
 * Byte offsets and limits of the segment header: the first {@link #HEADER_SIZE} bytes of every
 * segment file. All multi-byte values are little-endian. {@code docs/FORMAT.md} is the normative
 * description; this class is its code form, and no other class hard-codes a header offset.
 *
 * <pre>
 * page 0  0x000  identity and geometry     written once, before the file gets its name
 *         0x300  published generation      own cache line; the futex word is its low half
 *         0x340  lock word, lock fence     own cache line; owner token or 0, acquisitions so far
 *         0x380  writer record             own cache line; written by the writer only
 *         0x3C0  waiters word              own cache line; readers set it, the writer clears it
 *         0x400  steering command slot     written by steering clients under the lock, sealed
 *         0x480  command acknowledgement   written by the writer under the lock
 *         0x500  command log (16 x 128)    written by the writer under the lock
 *         0xD00  last result message       written by the writer under the lock
 * page 1  0x1000 parameters at creation    written once
 *         0x1800 consumer gate             the writer's wait state (own cache line)
 *         0x1840 consumer table (15 x 64)  one cache line per gating consumer, see ConsumerTable
 * </pre>
 */
public final class SegmentDescriptor {
    private SegmentDescriptor() {
    }

    /** "HEATGRID" in ASCII, read as a little-endian u64. */
    public static final long MAGIC = 0x4449524754414548L;
    public static final int MAJOR_VERSION = 1;
    /**
     * 1.1 added, all in one release: the lock fence (0x348), the writer run (0x39C), the waiters
     * word at {@link #WAITERS_OFFSET} (§4.3), the command's target, expiry and seal (0x450), and the
     * consumer gate and table at 0x1800 (FORMAT.md §4.4). A 1.0 reader ignores them all.
     */
    public static final int MINOR_VERSION = 1;
    /** The first minor version whose writers honour gating consumers. */
    public static final int GATE_MINOR_VERSION = 1;

    /** Buffers and the header are aligned to this many bytes (a common page size). */
    public static final int PAGE_SIZE = 4096;
    public static final int CACHE_LINE = 64;
    public static final int HEADER_SIZE = 2 * PAGE_SIZE;

    // ---- identity and geometry: immutable once the file has its name ----
    public static final int MAGIC_OFFSET = 0x000;              // u64
    public static final int MAJOR_VERSION_OFFSET = 0x008;      // u16
    public static final int MINOR_VERSION_OFFSET = 0x00A;      // u16
    public static final int HEADER_SIZE_OFFSET = 0x00C;        // u32
    public static final int FILE_SIZE_OFFSET = 0x010;          // u64
    public static final int FLAGS_OFFSET = 0x018;              // u32, see FLAG_*
    public static final int FRAME_HEADER_SIZE_OFFSET = 0x01C;  // u32
    public static final int NX_OFFSET = 0x020;                 // u32, cells per row
    public static final int NY_OFFSET = 0x024;                 // u32, rows
    public static final int FIELD_COUNT_OFFSET = 0x028;        // u32
    public static final int BUFFER_COUNT_OFFSET = 0x02C;       // u32
    public static final int FIELD_STRIDE_OFFSET = 0x030;       // u64, bytes from one field to the next
    public static final int BUFFER_SIZE_OFFSET = 0x038;        // u64, frame header + all fields
    public static final int DX_OFFSET = 0x040;                 // f64
    public static final int DY_OFFSET = 0x048;                 // f64
    public static final int DT_OFFSET = 0x050;                 // f64
    public static final int CREATED_EPOCH_NANOS_OFFSET = 0x058; // i64
    public static final int SEGMENT_ID_OFFSET = 0x060;         // u64, random, tells replaced files apart
    public static final int TILE_ORIGIN_X_OFFSET = 0x068;      // u32
    public static final int TILE_ORIGIN_Y_OFFSET = 0x06C;      // u32
    public static final int GLOBAL_NX_OFFSET = 0x070;          // u32
    public static final int GLOBAL_NY_OFFSET = 0x074;          // u32
    public static final int KERNEL_NAME_OFFSET = 0x080;        // UTF-8, NUL-padded
    public static final int KERNEL_NAME_CAPACITY = 64;
    public static final int BOUNDARY_OFFSET = 0x0C0;           // UTF-8, NUL-padded
    public static final int BOUNDARY_CAPACITY = 128;
    public static final int FIELD_NAMES_OFFSET = 0x140;        // MAX_FIELDS x FIELD_NAME_CAPACITY
    public static final int FIELD_NAME_CAPACITY = 16;
    public static final int BUFFER_OFFSETS_OFFSET = 0x240;     // MAX_BUFFERS x u64

    /** Set when the segment must outlive its last user (created with {@code --keep}). */
    public static final int FLAG_KEEP = 1;
    public static final int KNOWN_FLAGS = FLAG_KEEP;

    // ---- live words: each alone on its cache line, so readers polling the generation
    //      never share a line with the lock or the heartbeat the writer keeps storing to ----
    /** u64 generation of the newest complete frame; 0 before the first publish. */
    public static final int GENERATION_OFFSET = 0x300;
    /** u32 futex word: the low half of the generation (little-endian), see {@link Futex}. */
    public static final int GENERATION_FUTEX_OFFSET = GENERATION_OFFSET;
    /** u64 owner token of the process-shared lock, 0 when free; see {@link SharedLock}. */
    public static final int LOCK_OFFSET = 0x340;
    /** u64 lock fence: how many times the lock was acquired; each acquirer advances it by one (CAS). */
    public static final int LOCK_FENCE_OFFSET = 0x348;
    // ---- the writer record: see WriterRecord, the only class that touches these words ----
    public static final int WRITER_PID_OFFSET = 0x380;         // u64
    public static final int WRITER_START_OFFSET = 0x388;       // u64, start-time token, see ProcessIdentity
    public static final int WRITER_HEARTBEAT_OFFSET = 0x390;   // i64, CLOCK_MONOTONIC nanoseconds
    public static final int WRITER_STATE_OFFSET = 0x398;       // u32, WriterState code
    public static final int WRITER_RUN_OFFSET = 0x39C;         // u32, +1 by every writer that claims the record
    /** u32, 1 while a reader may be asleep in FUTEX_WAIT (it set it), 0 after the writer's wake; see {@link Waiters}. */
    public static final int WAITERS_OFFSET = 0x3C0;

    // ---- steering: one command slot, an acknowledgement, and a log of applied commands ----
    public static final int COMMAND_SEQ_OFFSET = 0x400;        // u64, stored last, with release
    public static final int COMMAND_CODE_OFFSET = 0x408;       // u32
    public static final int COMMAND_POSTER_PID_OFFSET = 0x40C; // u32
    public static final int COMMAND_ARGS_OFFSET = 0x410;       // COMMAND_ARG_COUNT x f64
    public static final int COMMAND_KEY_OFFSET = 0x430;        // UTF-8, NUL-padded
    public static final int COMMAND_ARG_COUNT = 4;
    public static final int COMMAND_KEY_CAPACITY = 32;
    // the writer run the command is addressed to, its lifetime, and the seal over the whole slot (1.1)
    public static final int COMMAND_TARGET_START_OFFSET = 0x450; // u64, writer start token
    public static final int COMMAND_TARGET_PID_OFFSET = 0x458;   // u32, writer pid
    public static final int COMMAND_TARGET_RUN_OFFSET = 0x45C;   // u32, writer run
    public static final int COMMAND_POSTED_NANOS_OFFSET = 0x460; // i64, CLOCK_MONOTONIC when posted
    public static final int COMMAND_EXPIRES_NANOS_OFFSET = 0x468; // i64, CLOCK_MONOTONIC after which it is void
    public static final int COMMAND_FENCE_OFFSET = 0x470;        // u64, the poster's lock fence
    public static final int COMMAND_SEAL_OFFSET = 0x478;         // u64, see CommandSeal
    public static final int APPLIED_SEQ_OFFSET = 0x480;        // u64, last command seq the writer took
    public static final int LOG_COUNT_OFFSET = 0x488;          // u64, log entries ever written
    public static final int LOG_OFFSET = 0x500;
    public static final int LOG_ENTRIES = 16;
    public static final int LOG_ENTRY_SIZE = 128;
    // offsets inside one log entry
    public static final int LOG_SEQ = 0;                       // u64, 0 while the entry is rewritten
    public static final int LOG_STEP = 8;                      // u64
    public static final int LOG_GENERATION = 16;               // u64, newest generation when applied
    public static final int LOG_CODE = 24;                     // u32
    public static final int LOG_RESULT = 28;                   // i32, see SteeringResult
    public static final int LOG_POSTER_PID = 32;               // u32
    public static final int LOG_ARGS = 40;                     // COMMAND_ARG_COUNT x f64
    public static final int LOG_KEY = 72;                      // UTF-8, COMMAND_KEY_CAPACITY
    /** u64 seq of the command whose outcome {@link #RESULT_MESSAGE_OFFSET} explains; 0 while rewritten. */
    public static final int RESULT_SEQ_OFFSET = 0xD00;
    /** UTF-8, NUL-padded: why the writer applied or refused the command, for the poster to show. */
    public static final int RESULT_MESSAGE_OFFSET = 0xD08;
    public static final int RESULT_MESSAGE_CAPACITY = 248;

    // ---- page 1 ----
    public static final int PARAMS_OFFSET = 0x1000;            // UTF-8 "key=value\n" lines, NUL-padded
    public static final int PARAMS_CAPACITY = 2048;

    // ---- page 1 from 0x1800: the consumer gate (FORMAT.md §4.4); ConsumerTable owns these words ----
    /** u64 generation the writer waits to begin because a gating consumer still needs its buffer; 0 = not waiting. */
    public static final int GATE_WAITING_OFFSET = 0x1800;
    public static final int GATE_WAITING_SLOT_OFFSET = 0x1808;   // u32, the consumer slot it waits for
    public static final int GATE_WAITING_SINCE_OFFSET = 0x1810;  // i64, CLOCK_MONOTONIC nanoseconds
    public static final int GATE_WAITS_OFFSET = 0x1818;          // u64, frames the writer had to wait for
    public static final int GATE_WAITED_NANOS_OFFSET = 0x1820;   // u64, total time spent waiting
    public static final int GATE_DROPS_OFFSET = 0x1828;          // u64, consumers the writer dropped
    public static final int CONSUMERS_OFFSET = 0x1840;
    public static final int CONSUMER_SLOTS = 15;
    public static final int CONSUMER_ENTRY_SIZE = 64;
    // offsets inside one consumer entry (each entry is one cache line)
    public static final int CONSUMER_CURSOR = 0;               // u64, newest generation the consumer has finished
    public static final int CONSUMER_MEMBERSHIP = 8;           // u64, state (low 32 bits) | joins (high 32 bits)
    public static final int CONSUMER_PID = 16;                 // u64
    public static final int CONSUMER_START = 24;               // u64, start token, see ProcessIdentity
    public static final int CONSUMER_STALL_NANOS = 32;         // i64, how long the writer may wait for it
    public static final int CONSUMER_DROP_REASON = 40;         // u32, see ConsumerTable.DROP_*
    public static final int CONSUMER_DROP_GENERATION = 48;     // u64, the generation the writer wanted to begin
    public static final int CONSUMER_JOINED = 56;              // i64, CLOCK_MONOTONIC nanoseconds

    // ---- advisory fcntl record locks (byte ranges of length 1; no data is written there) ----
    /** Every attached process holds a shared lock here; the kernel drops it when the process dies. */
    public static final long ATTACH_LOCK_BYTE = 0xFF0;
    /** The writer holds an exclusive lock here for as long as it is the writer. */
    public static final long WRITER_LOCK_BYTE = 0xFF1;
    /** Consumer slot {@code i} belongs to whoever holds an exclusive lock on byte {@code CONSUMER_LOCK_BYTE + i}. */
    public static final long CONSUMER_LOCK_BYTE = 0xFE0;

    // ---- limits a reader enforces before it maps anything ----
    public static final int MAX_FIELDS = 16;
    public static final int MIN_BUFFERS = 2;
    public static final int MAX_BUFFERS = 16;
    public static final int MAX_DIMENSION = 1 << 20;
    public static final int MAX_HEADER_SIZE = 1 << 20;
}
