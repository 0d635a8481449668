package dev.heatgrid.record;

import java.util.List;

/**
 * One frame as it goes into a recording: exactly a published, checksum-verified frame, reduced to the
 * recorded fields (and downsampled). The arrays are reused for the next frame once a sink returns.
 *
 * @param generation the segment's generation of this frame
 * @param step       solver steps since the run began
 * @param time       simulated time
 * @param params     parameters in effect ({@code key=value} lines)
 * @param fields     one array per recorded field, row-major (cell (x, y) at {@code y * nx + x})
 */
public record RecordedFrame(long generation, long step, double time, String params, List<double[]> fields) {
}
