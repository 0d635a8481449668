package dev.heatgrid.cli;

import dev.heatgrid.viewer.AtomicFileWriter;
import dev.heatgrid.viewer.NpyFormat;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
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

    /** NumPy .npy (float64, shape (ny, nx)); the format is the viewer's, shared with {@code heatgrid serve}. */
    static void writeNpy(Path file, double[] cells, int nx, int ny) throws IOException {
        AtomicFileWriter.write(file, out -> {
            OutputStream buffered = new BufferedOutputStream(out);
            NpyFormat.write(buffered, cells, nx, ny);
            buffered.flush();
        });
    }
}
