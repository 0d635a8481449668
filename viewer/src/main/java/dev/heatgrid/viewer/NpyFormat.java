package dev.heatgrid.viewer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One field as NumPy's {@code .npy} format 1.0: float64 little-endian, C order, shape {@code (ny, nx)},
 * so {@code numpy.load} gives {@code a[y, x]}. Written to a stream: a file ({@code heatgrid snapshot})
 * or an HTTP response ({@code heatgrid serve}).
 */
public final class NpyFormat {
    /** Magic, version 1.0, and the 2-byte header length. */
    private static final int PREAMBLE = 6 + 2 + 2;
    /** numpy aligns the data to 64 bytes. */
    private static final int ALIGNMENT = 64;

    private NpyFormat() {
    }

    /** Bytes {@link #write} produces for an {@code nx} × {@code ny} field. */
    public static long size(int nx, int ny) {
        return PREAMBLE + header(nx, ny).length() + (long) nx * ny * Double.BYTES;
    }

    /** Writes cell (x, y) = {@code cells[y * nx + x]}; does not close {@code out}. */
    public static void write(OutputStream out, double[] cells, int nx, int ny) throws IOException {
        String header = header(nx, ny);
        ByteBuffer head = ByteBuffer.allocate(PREAMBLE).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length());
        out.write(head.array());
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer data = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0, n = nx * ny; i < n; i++) {
            if (!data.hasRemaining()) {
                out.write(data.array(), 0, data.position());
                data.clear();
            }
            data.putDouble(cells[i]);
        }
        out.write(data.array(), 0, data.position());
    }

    /** The Python dict describing the array, padded with spaces and a newline to the alignment. */
    private static String header(int nx, int ny) {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + ny + ", " + nx + "), }";
        int padded = (PREAMBLE + dict.length() + 1 + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        return dict + " ".repeat(padded - PREAMBLE - dict.length() - 1) + "\n";
    }
}
