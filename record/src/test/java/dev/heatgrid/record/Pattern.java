package dev.heatgrid.record;

import dev.heatgrid.segment.SegmentWriter;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Frames whose cells say which generation and field wrote them, as the segment tests' pattern writer
 * does for field 0: cell i of field f in generation g holds {@code g * 2^20 + i + f * 0.5}.
 */
public final class Pattern {
    private Pattern() {
    }

    public static double value(long generation, int field, long cell) {
        return generation * 1048576.0 + cell + field * 0.5;
    }

    public static void publish(SegmentWriter writer) throws IOException {
        SegmentWriter.BackFrame back = writer.beginFrame();
        long cells = writer.layout().cells();
        for (int f = 0; f < back.fields().size(); f++) {
            MemorySegment field = back.fields().get(f);
            for (long i = 0; i < cells; i++) {
                field.setAtIndex(ValueLayout.JAVA_DOUBLE, i, value(back.generation(), f, i));
            }
        }
        writer.publish(back.generation(), back.generation() * 0.25, "pattern=generation\ng=" + back.generation() + "\n");
    }

    /** The first cell that differs from the pattern, or -1. */
    public static long mismatch(double[] cells, long generation, int field) {
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] != value(generation, field, i)) {
                return i;
            }
        }
        return -1;
    }
}
