package dev.heatgrid.bench.ipc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * The content of every benchmark frame: a smooth field of plausible temperatures, so no transport
 * gains from zero pages or compressible data.
 */
final class FramePattern {
    private FramePattern() {
    }

    static double cell(long i) {
        return 300.0 + Math.sin(i * 1e-3);
    }

    static void fill(MemorySegment field) {
        long cells = field.byteSize() / Double.BYTES;
        for (long i = 0; i < cells; i++) {
            field.setAtIndex(ValueLayout.JAVA_DOUBLE, i, cell(i));
        }
    }

    static void fill(ByteBuffer frame) {
        fill(MemorySegment.ofBuffer(frame));
    }
}
