package dev.heatgrid.segment;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Everything a writer decides when it creates a segment: the grid, its fields, the number of
 * buffers and the physical metadata. Immutable and validated: an instance always fits the format.
 *
 * @param nx       cells per row
 * @param ny       rows
 * @param fields   names of the fields every frame holds, in storage order (heat: {@code ["T"]})
 * @param buffers  number of frame buffers, at least 2; more give slow readers more time
 * @param dx       cell width in physical units
 * @param dy       cell height in physical units
 * @param dt       time step in physical units (0 when the writer has none)
 * @param kernel   name of the kernel that computes the frames
 * @param boundary human-readable boundary description, e.g. {@code "dirichlet:0"}
 * @param params   free-form parameters at creation, in order
 * @param tile     the part of the global grid this segment holds
 * @param keep     whether the file outlives its last user
 */
public record SegmentSpec(int nx, int ny, List<String> fields, int buffers, double dx, double dy, double dt,
                          String kernel, String boundary, Map<String, String> params, Tile tile, boolean keep) {

    private static final Pattern FIELD_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern PARAM_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    public SegmentSpec {
        checkRange("nx", nx, 1, SegmentDescriptor.MAX_DIMENSION);
        checkRange("ny", ny, 1, SegmentDescriptor.MAX_DIMENSION);
        fields = List.copyOf(fields);
        checkRange("field count", fields.size(), 1, SegmentDescriptor.MAX_FIELDS);
        var seen = new HashSet<String>();
        for (String name : fields) {
            FixedText.encode(name, SegmentDescriptor.FIELD_NAME_CAPACITY, "field name '" + name + "'");
            if (!FIELD_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("field name '" + name
                        + "' must start with a letter or '_' and hold only letters, digits, '_', '.', '-'");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("field name '" + name + "' appears twice");
            }
        }
        checkRange("buffers", buffers, SegmentDescriptor.MIN_BUFFERS, SegmentDescriptor.MAX_BUFFERS);
        checkPositive("dx", dx);
        checkPositive("dy", dy);
        if (!(dt >= 0) || Double.isInfinite(dt)) {
            throw new IllegalArgumentException("dt is " + dt + "; it must be finite and >= 0");
        }
        FixedText.encode(kernel, SegmentDescriptor.KERNEL_NAME_CAPACITY, "kernel name");
        FixedText.encode(boundary, SegmentDescriptor.BOUNDARY_CAPACITY, "boundary description");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        FixedText.encode(encodeParams(params), SegmentDescriptor.PARAMS_CAPACITY, "parameter text");
        tile.checkHolds(nx, ny);
    }

    /** A one-field spec with unit spacing and no kernel metadata, to be refined with the withers. */
    public static SegmentSpec of(int nx, int ny, String... fields) {
        return new SegmentSpec(nx, ny, List.of(fields), 2, 1.0, 1.0, 0.0, "", "", Map.of(), Tile.whole(nx, ny), false);
    }

    public SegmentSpec withBuffers(int n) {
        return new SegmentSpec(nx, ny, fields, n, dx, dy, dt, kernel, boundary, params, tile, keep);
    }

    public SegmentSpec withSpacing(double newDx, double newDy, double newDt) {
        return new SegmentSpec(nx, ny, fields, buffers, newDx, newDy, newDt, kernel, boundary, params, tile, keep);
    }

    public SegmentSpec withKernel(String newKernel, String newBoundary, Map<String, String> newParams) {
        return new SegmentSpec(nx, ny, fields, buffers, dx, dy, dt, newKernel, newBoundary, newParams, tile, keep);
    }

    public SegmentSpec withTile(Tile newTile) {
        return new SegmentSpec(nx, ny, fields, buffers, dx, dy, dt, kernel, boundary, params, newTile, keep);
    }

    public SegmentSpec withKeep(boolean newKeep) {
        return new SegmentSpec(nx, ny, fields, buffers, dx, dy, dt, kernel, boundary, params, tile, newKeep);
    }

    /** Index of a field by name, or -1. */
    public int fieldIndex(String name) {
        return fields.indexOf(name);
    }

    /** Bytes of one field: nx * ny float64. */
    public long fieldBytes() {
        return (long) nx * ny * Double.BYTES;
    }

    /** Parameters as the format stores them: one {@code key=value} per line, each ending in '\n'. */
    public static String encodeParams(Map<String, String> params) {
        var text = new StringBuilder();
        params.forEach((key, value) -> {
            if (!PARAM_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("parameter name '" + key
                        + "' must start with a letter or '_' and hold only letters, digits, '_', '.', '-'");
            }
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("parameter '" + key + "' has a line break or NUL in its value");
            }
            text.append(key).append('=').append(value).append('\n');
        });
        return text.toString();
    }

    /**
     * Inverse of {@link #encodeParams}, enforcing docs/FORMAT.md: the text is empty or lines
     * {@code key=value\n}, every line (the last too) ending in '\n', each key
     * {@code [A-Za-z_][A-Za-z0-9_.-]*} and given once, values without CR, LF or NUL.
     *
     * @throws IllegalArgumentException naming the first line that breaks the rule
     */
    public static Map<String, String> decodeParams(String text) {
        var params = new LinkedHashMap<String, String>();
        int line = 1;
        for (int start = 0; start < text.length(); start = text.indexOf('\n', start) + 1, line++) {
            int end = text.indexOf('\n', start);
            String content = text.substring(start, end < 0 ? text.length() : end);
            String where = "parameter line " + line + " ('" + printable(content) + "')";
            if (end < 0) {
                throw new IllegalArgumentException(where + " does not end in a line feed");
            }
            int eq = content.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException(where + " is not key=value");
            }
            String key = content.substring(0, eq);
            String value = content.substring(eq + 1);
            if (!PARAM_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException(where + ": the key must match [A-Za-z_][A-Za-z0-9_.-]*");
            }
            if (value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(where + ": the value holds a carriage return or NUL");
            }
            if (params.put(key, value) != null) {
                throw new IllegalArgumentException(where + ": the key '" + key + "' appears twice");
            }
        }
        return params;
    }

    /** A line for a message: control characters escaped, at most 40 characters. */
    private static String printable(String line) {
        var out = new StringBuilder();
        for (int i = 0; i < line.length() && out.length() < 40; i++) {
            char c = line.charAt(i);
            out.append(c < 0x20 ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return line.length() > 40 ? out + "..." : out.toString();
    }

    private static void checkRange(String what, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " is " + value + "; allowed " + min + ".." + max);
        }
    }

    private static void checkPositive(String what, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(what + " is " + value + "; it must be finite and > 0");
        }
    }
}
