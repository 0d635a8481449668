package dev.heatgrid.solver;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;

/** Test helpers: read a segment's newest frame, compare and sum grids exactly. */
final class Grids {
    private Grids() {
    }

    /** A checksum-verified copy of the newest frame. */
    static Frame latest(Path segment) throws IOException {
        try (FrameReader reader = FrameReader.open(segment)) {
            Frame frame = Frame.shapedFor(reader.layout());
            reader.latest(frame);
            return frame;
        }
    }

    /** The exact sum of a grid (BigDecimal), rounded once at the end. */
    static double exactSum(double[] values) {
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : values) {
            sum = sum.add(new BigDecimal(v));
        }
        return sum.doubleValue();
    }

    static double maxAbs(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    static double maxAbsDiff(double[] a, double[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
