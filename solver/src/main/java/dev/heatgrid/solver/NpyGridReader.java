package dev.heatgrid.solver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a 2-D array from numpy's {@code .npy} format (versions 1-3): shape (ny, nx), row y = 0
 * first; float64, float32, int64, int32, int16, int8 and uint8, either byte order, C or Fortran
 * order.
 */
final class NpyGridReader {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyGridReader() {
    }

    static GridData read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes.length <= i || bytes[i] != MAGIC[i]) {
                throw new IllegalArgumentException(file + " is not a .npy file (no \\x93NUMPY magic)");
            }
        }
        if (bytes.length < 10) {
            throw new IllegalArgumentException(file + " is truncated: no .npy header");
        }
        int major = bytes[6];
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(buf.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new IllegalArgumentException(file + " is truncated: no .npy header");
            }
            headerLength = buf.getInt(8);
            headerStart = 12;
        } else {
            throw new IllegalArgumentException(file + " is .npy format version " + major + "; readable: 1, 2, 3");
        }
        if (headerLength < 0 || headerStart + (long) headerLength > bytes.length) {
            throw new IllegalArgumentException(file + " is truncated: its .npy header runs past the end");
        }
        String header = new String(bytes, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new IllegalArgumentException(file + ": .npy header " + header.strip() + " lacks descr, fortran_order or shape");
        }
        String[] dims = shape.group(1).split(",");
        long[] shapeDims = dims.length == 2 || (dims.length == 3 && dims[2].isBlank())
                ? new long[]{Long.parseLong(dims[0].strip()), Long.parseLong(dims[1].strip())} : null;
        if (shapeDims == null) {
            throw new IllegalArgumentException(file + " holds an array of shape (" + shape.group(1)
                    + "); a grid must be 2-D, shape (ny, nx)");
        }
        long ny = shapeDims[0];
        long nx = shapeDims[1];
        if (nx < 1 || ny < 1 || nx * ny > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(file + " has shape (" + ny + ", " + nx + "); too small or too large a grid");
        }
        char kind = descr.group(2).charAt(0);
        int size = Integer.parseInt(descr.group(3));
        ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        boolean supported = (kind == 'f' && (size == 4 || size == 8)) || (kind == 'i' && (size == 1 || size == 2
                || size == 4 || size == 8)) || (kind == 'u' && size == 1);
        if (!supported) {
            throw new IllegalArgumentException(file + " holds " + descr.group(1) + kind + size
                    + " values; readable: float64, float32, int64, int32, int16, int8, uint8");
        }
        int cells = (int) (nx * ny);
        int dataStart = headerStart + headerLength;
        if ((long) cells * size > bytes.length - dataStart) {
            throw new IllegalArgumentException(file + " is truncated: shape (" + ny + ", " + nx + ") needs "
                    + (long) cells * size + " bytes of data, the file has " + (bytes.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, cells * size).slice().order(order);
        double[] values = new double[cells];
        boolean fortranOrder = fortran.group(1).equals("True");
        for (int i = 0; i < cells; i++) {
            double v = switch (kind) {
                case 'f' -> size == 8 ? data.getDouble(i * 8) : data.getFloat(i * 4);
                case 'u' -> Byte.toUnsignedInt(data.get(i));
                default -> switch (size) {
                    case 1 -> data.get(i);
                    case 2 -> data.getShort(i * 2);
                    case 4 -> data.getInt(i * 4);
                    default -> (double) data.getLong(i * 8);
                };
            };
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(file + " holds " + v + " at element " + i + "; initial values must be finite");
            }
            // Fortran order stores column after column: element i is (y = i mod ny, x = i / ny).
            int target = fortranOrder ? (int) ((i % ny) * nx + i / ny) : i;
            values[target] = v;
        }
        return new GridData((int) nx, (int) ny, values);
    }
}
