package dev.heatgrid.record;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A recording read back with the same library: the frame count its /generation gives, any frame, any
 * one-dimensional dataset (also for the cli and examples tests).
 */
public final class Hdf5Contents implements AutoCloseable {
    private final Hdf5Library hdf5;
    private final long file;
    public final long[] generations;
    public final int ny;
    public final int nx;

    /** @param swmr open with SWMR read access (a file still being written, or left by a killed recorder) */
    public Hdf5Contents(Path path, boolean swmr) throws IOException {
        hdf5 = Hdf5Library.get();
        file = hdf5.openFile(path, swmr ? Hdf5Library.F_ACC_SWMR_READ : Hdf5Library.F_ACC_RDONLY);
        long set = hdf5.openDataset(file, "generation");
        int n = (int) hdf5.dims(set)[0];
        generations = new long[n];
        if (n > 0) {
            hdf5.read(set, hdf5.nativeInt64, new long[] {0}, new long[] {n}, MemorySegment.ofArray(generations));
        }
        hdf5.closeDataset(set);
        nx = (int) hdf5.readLongAttribute(file, "nx", 1)[0];
        ny = (int) hdf5.readLongAttribute(file, "ny", 1)[0];
    }

    public double[] frame(String field, int row) throws IOException {
        long set = hdf5.openDataset(file, field);
        try {
            long[] dims = hdf5.dims(set);
            if (row >= dims[0]) {
                throw new IOException("field " + field + " has " + dims[0] + " rows, /generation " + generations.length);
            }
            double[] cells = new double[nx * ny];
            hdf5.read(set, hdf5.nativeDouble, new long[] {row, 0, 0}, new long[] {1, ny, nx}, MemorySegment.ofArray(cells));
            return cells;
        } finally {
            hdf5.closeDataset(set);
        }
    }

    /** A one-dimensional float64 dataset whole: /time, /x_edges, /y_edges, ... */
    public double[] doubles(String dataset) throws IOException {
        long set = hdf5.openDataset(file, dataset);
        try {
            long[] dims = hdf5.dims(set);
            if (dims.length != 1) {
                throw new IOException(dataset + " has " + dims.length + " dimensions, not 1");
            }
            double[] values = new double[(int) dims[0]];
            hdf5.read(set, hdf5.nativeDouble, new long[] {0}, new long[] {dims[0]}, MemorySegment.ofArray(values));
            return values;
        } finally {
            hdf5.closeDataset(set);
        }
    }

    public String stringAttribute(String name) throws IOException {
        return hdf5.readStringAttribute(file, name);
    }

    @Override
    public void close() throws IOException {
        hdf5.closeFile(file);
    }
}
