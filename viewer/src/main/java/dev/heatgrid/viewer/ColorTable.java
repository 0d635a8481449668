package dev.heatgrid.viewer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the {@value ColorMap#SIZE}-entry opaque ARGB lookup tables behind {@link ColorMap}: from a
 * published table shipped as a resource, or computed (grayscale).
 */
final class ColorTable {
    private ColorTable() {
    }

    /** A resource of {@value ColorMap#SIZE} lines {@code r g b} (0..1), taken as is. */
    static int[] listed(String resource) {
        List<double[]> rows = read(resource);
        if (rows.size() != ColorMap.SIZE) {
            throw new IllegalStateException(resource + " has " + rows.size() + " entries, not " + ColorMap.SIZE);
        }
        int[] table = new int[ColorMap.SIZE];
        for (int i = 0; i < table.length; i++) {
            double[] row = rows.get(i);
            table[i] = argb(row[0], row[1], row[2]);
        }
        return table;
    }

    /** A resource of knots {@code position r g b}, sampled at {@value ColorMap#SIZE} evenly spaced points. */
    static int[] knots(String resource) {
        List<double[]> knots = read(resource);
        int[] table = new int[ColorMap.SIZE];
        int k = 0;
        for (int i = 0; i < table.length; i++) {
            double t = i / (double) (table.length - 1);
            while (k < knots.size() - 2 && knots.get(k + 1)[0] < t) {
                k++;
            }
            double[] a = knots.get(k);
            double[] b = knots.get(k + 1);
            double u = Math.clamp((t - a[0]) / (b[0] - a[0]), 0.0, 1.0);
            table[i] = argb(a[1] + u * (b[1] - a[1]), a[2] + u * (b[2] - a[2]), a[3] + u * (b[3] - a[3]));
        }
        return table;
    }

    /**
     * Black to white with CIE lightness L* rising linearly, so equal steps in value look like equal
     * steps in brightness (a plain sRGB ramp crowds its visible steps into the dark end).
     */
    static int[] uniformGray() {
        int[] table = new int[ColorMap.SIZE];
        for (int i = 0; i < table.length; i++) {
            double lightness = 100.0 * i / (table.length - 1);
            double fy = (lightness + 16) / 116;
            double luminance = lightness > 8 ? fy * fy * fy : lightness / 903.3;
            double srgb = luminance <= 0.0031308 ? 12.92 * luminance : 1.055 * Math.pow(luminance, 1 / 2.4) - 0.055;
            table[i] = argb(srgb, srgb, srgb);
        }
        return table;
    }

    static int argb(double r, double g, double b) {
        return 0xFF00_0000 | channel(r) << 16 | channel(g) << 8 | channel(b);
    }

    private static int channel(double v) {
        return (int) Math.round(Math.clamp(v, 0.0, 1.0) * 255);
    }

    private static List<double[]> read(String resource) {
        try (InputStream in = ColorTable.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("colour table " + resource + " is missing from the viewer jar");
            }
            var rows = new ArrayList<double[]>();
            var lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = lines.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                double[] row = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    row[i] = Double.parseDouble(parts[i]);
                }
                rows.add(row);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read colour table " + resource, e);
        }
    }
}
