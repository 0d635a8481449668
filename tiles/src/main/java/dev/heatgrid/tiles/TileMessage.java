package dev.heatgrid.tiles;

import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The layout of every message tiles (and the gatherer) send each other over Aeron: one owner of
 * the offsets, typed accessors for each word (docs/DISTRIBUTED.md, "Halo message layout").
 * Little-endian. Control sections of the start-up and gatherer messages are text, one
 * {@code key=value} per line ({@link #lines}, {@link #parseLines}).
 *
 * <pre>
 *   0  u32 magic 'HGTL'        4 u16 version        6 u16 type
 *   8  u64 run id             16 u32 sender rank   20 u32 receiver rank
 *  24  u64 tick (exchange number since the run started)
 *  32  u64 step (the state whose nodes a HALO carries)
 *  40  u64 newest step the sender published
 *  48  u32 control bytes C    52 u32 payload doubles D
 *  56  u64 aux (type-specific)
 *  64  control section: C bytes (the agreement's state, a HELLO's text, ...)
 *  64 + align8(C): payload, D float64 (halo blocks, gathered blocks)
 * </pre>
 */
final class TileMessage {
    static final int MAGIC = 0x4C544748; // "HGTL"
    static final int VERSION = 1;
    static final int HEADER_LENGTH = 64;

    /** Who are you: run description, for refusing mismatched peers (control = text). */
    static final int HELLO = 1;
    /** One exchange: agreement state, then halo blocks (none while paused). */
    static final int HALO = 2;
    /** I am alive (sent by a timer thread, also during long steps). */
    static final int HEARTBEAT = 3;
    /** A tile was lost (aux = its rank, step = the last step every tile completed; control = text). */
    static final int FAULT = 4;
    /** This tile's run ended normally (it will send nothing more). */
    static final int BYE = 5;
    /**
     * Gatherer to tile: send the oldest frame you hold at or after {@code step} (-1: the newest),
     * reduced to blocks, or (-2) describe the run; tick = request id, aux = how long to wait for
     * that step in ms; control = lines {@code reply=CHANNEL}, {@code fx=}, {@code fy=}.
     */
    static final int GATHER_REQUEST = 6;
    /**
     * Tile to gatherer: partial block sums of one field, some rows of the tile's blocks; tick =
     * request id, step = the frame's step (-1: no frame could be read), aux = field; control = lines
     * time, params, blocks (bx0,by0,width,height of the tile's range), row (first row here), rows.
     */
    static final int GATHER_PART = 7;
    /** Gatherer to tile 0: a command posted to the gathered segment; tick = request id; control = lines code, key, args, reply. */
    static final int STEER = 8;
    /** Tile 0 to gatherer: what its segment logged; tick = request id, step = step applied, aux = result code; control = message. */
    static final int STEER_RESULT = 9;
    /** Tile to gatherer: the run (control = lines: global size, fields, spacing, dt, kernel, boundary, tiles, params). */
    static final int DESCRIPTION = 10;
    /**
     * A line solve's carries, in the middle of a step (docs/DISTRIBUTED.md, "The line solve on
     * tiles"): tick = the exchange it follows + 1, step = the state being stepped from, aux = the
     * kernel's tag (pass, phase, first line); payload = the values.
     */
    static final int CARRY = 11;
    /**
     * This tile failed before its first step and will send nothing more (control = why, one line;
     * run = the run's id once known, else 0): the others stop now instead of waiting for it.
     */
    static final int REFUSED = 12;

    private static final int MAGIC_OFFSET = 0;
    private static final int VERSION_OFFSET = 4;
    private static final int TYPE_OFFSET = 6;
    private static final int RUN_OFFSET = 8;
    private static final int SENDER_OFFSET = 16;
    private static final int RECEIVER_OFFSET = 20;
    private static final int TICK_OFFSET = 24;
    private static final int STEP_OFFSET = 32;
    private static final int PUBLISHED_OFFSET = 40;
    private static final int CONTROL_LENGTH_OFFSET = 48;
    private static final int PAYLOAD_COUNT_OFFSET = 52;
    private static final int AUX_OFFSET = 56;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private TileMessage() {
    }

    /** Writes a header; returns where the control section starts. */
    static int writeHeader(MutableDirectBuffer b, int type, long run, int sender, int receiver, long tick, long step,
                           long published, int controlLength, int payloadCount, long aux) {
        b.putInt(MAGIC_OFFSET, MAGIC, LE);
        b.putShort(VERSION_OFFSET, (short) VERSION, LE);
        b.putShort(TYPE_OFFSET, (short) type, LE);
        b.putLong(RUN_OFFSET, run, LE);
        b.putInt(SENDER_OFFSET, sender, LE);
        b.putInt(RECEIVER_OFFSET, receiver, LE);
        b.putLong(TICK_OFFSET, tick, LE);
        b.putLong(STEP_OFFSET, step, LE);
        b.putLong(PUBLISHED_OFFSET, published, LE);
        b.putInt(CONTROL_LENGTH_OFFSET, controlLength, LE);
        b.putInt(PAYLOAD_COUNT_OFFSET, payloadCount, LE);
        b.putLong(AUX_OFFSET, aux, LE);
        return HEADER_LENGTH;
    }

    /** Where the payload starts for a control section of {@code controlLength} bytes. */
    static int payloadOffset(int controlLength) {
        return HEADER_LENGTH + ((controlLength + 7) & ~7);
    }

    /** Total length of a message. */
    static int length(int controlLength, int payloadCount) {
        return payloadOffset(controlLength) + payloadCount * Double.BYTES;
    }

    /** Whether {@code length} bytes at {@code offset} are a message of this version whose sections fit. */
    static boolean valid(DirectBuffer b, int offset, int length) {
        if (length < HEADER_LENGTH || b.getInt(offset + MAGIC_OFFSET, LE) != MAGIC
                || b.getShort(offset + VERSION_OFFSET, LE) != VERSION) {
            return false;
        }
        long control = Integer.toUnsignedLong(b.getInt(offset + CONTROL_LENGTH_OFFSET, LE));
        long payload = Integer.toUnsignedLong(b.getInt(offset + PAYLOAD_COUNT_OFFSET, LE));
        return HEADER_LENGTH + ((control + 7) & ~7L) + payload * Double.BYTES <= length;
    }

    static int type(DirectBuffer b, int o) {
        return b.getShort(o + TYPE_OFFSET, LE);
    }

    static long run(DirectBuffer b, int o) {
        return b.getLong(o + RUN_OFFSET, LE);
    }

    static int sender(DirectBuffer b, int o) {
        return b.getInt(o + SENDER_OFFSET, LE);
    }

    static int receiver(DirectBuffer b, int o) {
        return b.getInt(o + RECEIVER_OFFSET, LE);
    }

    static long tick(DirectBuffer b, int o) {
        return b.getLong(o + TICK_OFFSET, LE);
    }

    static long step(DirectBuffer b, int o) {
        return b.getLong(o + STEP_OFFSET, LE);
    }

    static long published(DirectBuffer b, int o) {
        return b.getLong(o + PUBLISHED_OFFSET, LE);
    }

    static int controlLength(DirectBuffer b, int o) {
        return b.getInt(o + CONTROL_LENGTH_OFFSET, LE);
    }

    static int payloadCount(DirectBuffer b, int o) {
        return b.getInt(o + PAYLOAD_COUNT_OFFSET, LE);
    }

    static long aux(DirectBuffer b, int o) {
        return b.getLong(o + AUX_OFFSET, LE);
    }

    /** The control section's bytes. */
    static byte[] control(DirectBuffer b, int o) {
        byte[] bytes = new byte[controlLength(b, o)];
        b.getBytes(o + HEADER_LENGTH, bytes);
        return bytes;
    }

    /** {@code key=value} lines, for a control section. */
    static byte[] lines(java.util.Map<String, String> values) {
        var text = new StringBuilder();
        // A value may itself be lines (a segment's parameter text): its line feeds travel as CR, which no
        // parameter text holds (FORMAT.md 2.1), and come back as line feeds. Spaces would be lossy.
        values.forEach((k, v) -> text.append(k).append('=').append(v.replace('\n', '\r')).append('\n'));
        return text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The {@code key=value} lines of a control section. */
    static java.util.Map<String, String> parseLines(byte[] control) {
        var map = new java.util.LinkedHashMap<String, String>();
        for (String line : new String(control, java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                map.put(line.substring(0, eq), line.substring(eq + 1).replace('\r', '\n'));
            }
        }
        return map;
    }

    /** Where the payload of the message at {@code o} starts. */
    static int payloadAt(DirectBuffer b, int o) {
        return o + payloadOffset(controlLength(b, o));
    }

    /** Writes the control bytes after a header; returns where the payload starts. */
    static int writeControl(MutableDirectBuffer b, byte[] control) {
        b.putBytes(HEADER_LENGTH, control);
        return payloadOffset(control.length);
    }
}
