package dev.heatgrid.record;

import dev.heatgrid.segment.SegmentLayout;
import dev.heatgrid.segment.SegmentSpec;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a recording describes, fixed when it starts: the recorded grid (after downsampling) in
 * physical units and where it came from. Cell (x, y) covers
 * {@code [x0 + x*dx, x0 + (x+1)*dx] x [y0 + y*dy, y0 + (y+1)*dy]}, as in the viewer.
 *
 * @param segment     the segment's path
 * @param segmentId   the segment's random id (tells runs apart)
 * @param nx          recorded cells per row
 * @param ny          recorded rows
 * @param dx          recorded cell width ({@code downsample} source cells)
 * @param dy          recorded cell height
 * @param x0          physical x of the recorded grid's left edge
 * @param y0          physical y of its bottom edge
 * @param fields      recorded fields, in the order they are written
 * @param dt          the solver's time step (0: none)
 * @param kernel      kernel name at creation
 * @param boundary    boundary description at creation
 * @param params      parameters at creation
 * @param created     ISO-8601 creation instant of the segment
 * @param downsample  K: each recorded cell is the mean of a K x K block of source cells
 * @param sourceNx    the segment's cells per row
 * @param sourceNy    the segment's rows
 * @param everyFrame  whether the recorder gated the writer (lossless) or took the newest frames
 */
public record RunDescription(String segment, long segmentId, int nx, int ny, double dx, double dy, double x0,
                             double y0, List<String> fields, double dt, String kernel, String boundary,
                             Map<String, String> params, String created, int downsample, int sourceNx,
                             int sourceNy, boolean everyFrame) {
    public RunDescription {
        fields = List.copyOf(fields);
        params = Map.copyOf(params);
    }

    /**
     * A segment's grid as recorded: {@code fields} of it, each cell the mean of a K x K block (whole
     * blocks only), in the segment's physical units with its tile's origin.
     */
    public static RunDescription of(Path segment, SegmentLayout layout, List<String> fields, int downsample,
                                    boolean everyFrame) {
        SegmentSpec spec = layout.spec();
        int k = downsample;
        return new RunDescription(segment.toString(), layout.segmentId(), layout.nx() / k, layout.ny() / k,
                spec.dx() * k, spec.dy() * k, spec.tile().originX() * spec.dx(), spec.tile().originY() * spec.dy(),
                fields, spec.dt(), spec.kernel(), spec.boundary(), spec.params(),
                Instant.ofEpochSecond(0, layout.createdEpochNanos()).toString(), k, layout.nx(), layout.ny(), everyFrame);
    }

    /** Physical x of the centre of recorded column {@code x}. */
    public double centreX(int x) {
        return x0 + (x + 0.5) * dx;
    }

    /** Physical y of the centre of recorded row {@code y}. */
    public double centreY(int y) {
        return y0 + (y + 0.5) * dy;
    }

    /** Bytes of field data one frame adds to a recording. */
    public long frameBytes() {
        return (long) nx * ny * Double.BYTES * fields.size();
    }
}
