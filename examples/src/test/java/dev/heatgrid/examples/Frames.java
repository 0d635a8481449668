package dev.heatgrid.examples;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import java.io.IOException;
import java.nio.file.Path;

/** Reading frames back in tests, the way any reader does. */
public final class Frames {
    private Frames() {
    }

    /** The newest consistent frame of {@code segment}, checksums verified. */
    public static Frame latest(Path segment) throws IOException {
        try (FrameReader reader = FrameReader.open(segment, false)) {
            Frame frame = Frame.shapedFor(reader.layout());
            reader.latest(frame);
            return frame;
        }
    }

    /** Sum of the cells, compensated (Neumaier), so the test's own rounding does not hide the kernel's. */
    public static double sum(double[] cells) {
        double sum = 0;
        double compensation = 0;
        for (double c : cells) {
            double t = sum + c;
            compensation += Math.abs(sum) >= Math.abs(c) ? (sum - t) + c : (c - t) + sum;
            sum = t;
        }
        return sum + compensation;
    }

    public static double min(double[] cells) {
        double min = Double.POSITIVE_INFINITY;
        for (double c : cells) {
            min = Math.min(min, c);
        }
        return min;
    }

    public static double max(double[] cells) {
        double max = Double.NEGATIVE_INFINITY;
        for (double c : cells) {
            max = Math.max(max, c);
        }
        return max;
    }

    public static double variance(double[] cells) {
        double mean = sum(cells) / cells.length;
        double squares = 0;
        for (double c : cells) {
            squares += (c - mean) * (c - mean);
        }
        return squares / cells.length;
    }
}
