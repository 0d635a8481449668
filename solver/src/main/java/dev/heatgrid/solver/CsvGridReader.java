package dev.heatgrid.solver;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;

/**
 * Reads a grid from text: one line per row, row y = 0 first, values separated by commas and/or
 * white space (what {@code numpy.savetxt(f, a, delimiter=",")} writes for an array of shape
 * (ny, nx)). Blank lines and lines starting with '#' are skipped.
 */
final class CsvGridReader {
    private CsvGridReader() {
    }

    static GridData read(Path file) throws IOException {
        var values = new ArrayList<double[]>();
        int nx = -1;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] parts = t.split("[,\\s]+");
                double[] row = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    try {
                        row[i] = Double.parseDouble(parts[i]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException(file + " line " + lineNumber + ", value " + (i + 1) + ": '"
                                + parts[i] + "' is not a number");
                    }
                    if (!Double.isFinite(row[i])) {
                        throw new IllegalArgumentException(file + " line " + lineNumber + ", value " + (i + 1) + " is "
                                + parts[i] + "; initial values must be finite");
                    }
                }
                if (nx < 0) {
                    nx = row.length;
                } else if (row.length != nx) {
                    throw new IllegalArgumentException(file + " line " + lineNumber + " has " + row.length
                            + " values but the first row has " + nx + "; every row must have the same length");
                }
                values.add(row);
            }
        }
        if (values.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no rows of numbers");
        }
        int ny = values.size();
        double[] all = new double[Math.multiplyExact(nx, ny)];
        for (int y = 0; y < ny; y++) {
            System.arraycopy(values.get(y), 0, all, y * nx, nx);
        }
        return new GridData(nx, ny, all);
    }
}
