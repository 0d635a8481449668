package dev.heatgrid.tiles;

import dev.heatgrid.segment.FrameHeader;
import dev.heatgrid.segment.FrameReader;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads a given step of a tile segment, not only the newest: every tile publishes the same steps,
 * but a gatherer must take the same one from all of them while they go on. A segment holds its
 * newest frames, one per buffer; this finds the oldest held frame at or after the wanted step and
 * reads it under that generation's seqlock (the buffer's sequence word before and after), like any
 * reader: the writer is never held up, and a frame it overwrote meanwhile is simply missed.
 */
final class HeldFrames {
    /** What a read took: the frame's step, time and parameters in effect. */
    record Frame(long step, double time, String params) {
    }

    /** What to do with the frame's fields while the generation is checked around it. */
    interface Visit {
        void read(List<MemorySegment> fields);
    }

    private HeldFrames() {
    }

    /**
     * Waits (up to {@code waitNanos}) until {@code reader}'s segment published step {@code atLeast}
     * or later, then reads the oldest held frame at or after it ({@code atLeast < 0}: the newest).
     * If the segment publishes nothing new in time, reads its newest frame instead. Returns null
     * if the frame was overwritten while it was read (or nothing is published).
     */
    static Frame read(FrameReader reader, long atLeast, long waitNanos, Visit visit) throws IOException {
        long deadline = System.nanoTime() + waitNanos;
        try {
            while (atLeast >= 0 && newestStep(reader) < atLeast && System.nanoTime() - deadline < 0) {
                reader.awaitNewer(reader.generation(), Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for step " + atLeast);
        }
        long generation = pick(reader, atLeast);
        if (generation == 0) {
            return null;
        }
        FrameHeader header = reader.header(generation);
        var fields = new ArrayList<MemorySegment>();
        for (int f = 0; f < reader.layout().fields().size(); f++) {
            fields.add(reader.field(generation, f));
        }
        visit.read(fields);
        return reader.validate(generation) ? new Frame(header.step(), header.time(), header.params()) : null;
    }

    /** The newest step published, -1 if none. */
    static long newestStep(FrameReader reader) {
        for (int tries = 0; tries < 100; tries++) {
            long stamp = reader.tryOptimisticRead();
            if (stamp == 0 && reader.generation() == 0) {
                return -1;
            }
            if (stamp != 0) {
                long step = reader.header(stamp).step();
                if (reader.validate(stamp)) {
                    return step;
                }
            }
        }
        return -1;
    }

    /** The generation of the oldest complete frame whose step is {@code atLeast} or later (newest if none, or if atLeast < 0); 0 if none. */
    private static long pick(FrameReader reader, long atLeast) {
        long best = 0;
        long bestStep = Long.MAX_VALUE;
        long newest = 0;
        for (int b = 0; b < reader.layout().buffers(); b++) {
            long seq = reader.bufferSeq(b);
            if (seq <= 0 || (seq & 1) != 0) {
                continue; // never written, or being written
            }
            long generation = seq / 2;
            long step = reader.header(generation).step();
            if (!reader.validate(generation)) {
                continue;
            }
            newest = Math.max(newest, generation);
            if (atLeast >= 0 && step >= atLeast && step < bestStep) {
                best = generation;
                bestStep = step;
            }
        }
        return best != 0 ? best : newest;
    }
}
