package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.COMMAND_CODE_OFFSET;
import static dev.heatgrid.segment.SegmentDescriptor.COMMAND_SEAL_OFFSET;

/**
 * The seal of the command slot (docs/FORMAT.md §7): one u64 over every word a poster writes and the
 * seq it is about to announce, stored last before the seq. The writer recomputes it when it takes
 * the command and refuses a slot whose seal does not match, so a store that a poster made after its
 * lock lease expired (at most one per poster, {@link SharedLock} point 3) can never turn into a
 * different command.
 *
 * <pre>
 *   seal = sum over i in 0..14 of ( v[i] XOR ((i + 1) * MIX mod 2^64) )   mod 2^64
 *   v[0] = the seq being announced, v[i] = the u64 at 0x400 + 8i (0x408 .. 0x470), MIX = 0x9E3779B97F4A7C15
 * </pre>
 * Each term is a bijection of its word, so any single changed word changes the seal.
 */
final class CommandSeal {
    /** u64 words covered, after the seq: 0x408 .. 0x470. */
    static final int WORDS = (COMMAND_SEAL_OFFSET - COMMAND_CODE_OFFSET) / Long.BYTES;

    private CommandSeal() {
    }

    /** The seal of {@code words} (the slot's words from 0x408, {@link #WORDS} of them) announced as {@code seq}. */
    static long of(long seq, long[] words) {
        long seal = seq ^ FrameChecksum.MIX;
        for (int i = 0; i < WORDS; i++) {
            seal += words[i] ^ ((i + 2) * FrameChecksum.MIX);
        }
        return seal;
    }
}
