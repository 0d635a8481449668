package dev.heatgrid.cli;

import dev.heatgrid.viewer.AtomicFileWriter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One field of a frame written as CSV (one grid row per line) or NumPy {@code .npy} (float64, shape
 * (ny, nx)). The file appears only when complete ({@link AtomicFileWriter}).
 */
final class GridFileWriter {
    private GridFileWriter() {
    }

    /** Rows y = 0 .. ny-1, values in full precision (Double.toString round-trips). */
    static void writeCsv(Path file, double[] cells, int nx, int ny) throws IOException {
        AtomicFileWriter.write(file, stream -> {
            var out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.US_ASCII));
            var line = new StringBuilder();
            for (int y = 0; y < ny; y++) {
                line.setLength(0);
                for (int x = 0; x < nx; x++) {
                    line.append(x == 0 ? "" : ",").append(cells[y * nx + x]);
                }
                out.write(line.append('\n').toString());
            }
            out.flush();
        });
    }

    /** NPY format 1.0: magic, version, header length, a Python dict padded to 64 bytes, raw little-endian data. */
    static void writeNpy(Path file, double[] cells, int nx, int ny) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + ny + ", " + nx + "), }";
        int preamble = 6 + 2 + 2;
        int padded = (preamble + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - preamble - dict.length() - 1) + "\n";
        AtomicFileWriter.write(file, out -> {
            ByteBuffer head = ByteBuffer.allocate(preamble).order(ByteOrder.LITTLE_ENDIAN);
            head.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                    .putShort((short) header.length());
            out.write(head.array());
            out.write(header.getBytes(StandardCharsets.US_ASCII));
            ByteBuffer data = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : cells) {
                if (!data.hasRemaining()) {
                    out.write(data.array(), 0, data.position());
                    data.clear();
                }
                data.putDouble(v);
            }
            out.write(data.array(), 0, data.position());
        });
    }
}
