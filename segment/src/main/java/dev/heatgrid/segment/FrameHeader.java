package dev.heatgrid.segment;

import java.util.List;
import java.util.Map;

/**
 * The metadata of one frame.
 *
 * @param generation   publication counter: 1 for the first frame a segment ever published
 * @param step         solver steps taken since the run began
 * @param time         simulated time
 * @param publishNanos CLOCK_MONOTONIC at publication ({@code System.nanoTime()} on Linux, comparable
 *                     across processes on one host)
 * @param stats        per-field statistics, in field order
 * @param params       {@code key=value} lines in effect for this frame
 */
public record FrameHeader(long generation, long step, double time, long publishNanos, List<FieldStats> stats,
                          String params) {
    public FrameHeader {
        stats = List.copyOf(stats);
    }

    /** {@link #params} as an ordered map. */
    public Map<String, String> paramMap() {
        return SegmentSpec.decodeParams(params);
    }
}
