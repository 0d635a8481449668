package dev.heatgrid.segment;

import java.util.List;

/**
 * A private, consistent copy of one frame: the header and every field as a {@code double[]} in
 * row-major order (cell (x, y) at {@code y * nx + x}). Reuse one instance across reads; each
 * {@link FrameReader#latest(Frame)} overwrites it.
 */
public final class Frame {
    private final int nx;
    private final int ny;
    private final List<String> fieldNames;
    private final double[][] fields;
    private FrameHeader header;

    public Frame(int nx, int ny, List<String> fieldNames) {
        long cells = (long) nx * ny;
        if (cells > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a " + nx + "x" + ny + " field has " + cells
                    + " cells, more than a Java array holds; read it in place with FrameReader.field(stamp, f)");
        }
        this.nx = nx;
        this.ny = ny;
        this.fieldNames = List.copyOf(fieldNames);
        this.fields = new double[fieldNames.size()][(int) cells];
    }

    /** A frame shaped for a segment. */
    public static Frame shapedFor(SegmentLayout layout) {
        return new Frame(layout.nx(), layout.ny(), layout.fields());
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public List<String> fieldNames() {
        return fieldNames;
    }

    /** Field {@code f}'s cells; the array is reused by the next read into this frame. */
    public double[] field(int f) {
        return fields[f];
    }

    /** A field by name. */
    public double[] field(String name) {
        int f = fieldNames.indexOf(name);
        if (f < 0) {
            throw new IllegalArgumentException("no field '" + name + "'; this frame has " + fieldNames);
        }
        return fields[f];
    }

    /** Value of cell (x, y) of field {@code f}. */
    public double get(int f, int x, int y) {
        return fields[f][y * nx + x];
    }

    /** Header of the frame last read into this object, or null before the first read. */
    public FrameHeader header() {
        return header;
    }

    void setHeader(FrameHeader header) {
        this.header = header;
    }

    boolean fits(SegmentLayout layout) {
        return layout.nx() == nx && layout.ny() == ny && layout.fields().equals(fieldNames);
    }
}
