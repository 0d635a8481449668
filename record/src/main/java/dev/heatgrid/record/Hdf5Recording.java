package dev.heatgrid.record;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A recording as one HDF5 file, written by the HDF Group's library ({@link Hdf5Library}):
 * <pre>
 * /FIELD       float64 (time, ny, nx) per recorded field, chunked one frame per chunk, growing
 * /time        float64 (time,)   simulated time of each frame
 * /step        int64   (time,)   solver step
 * /params      string  (time,)   parameters in effect (key=value lines)
 * /generation  int64   (time,)   the segment's generation: written last, the count of complete frames
 * /x, /y       float64 (nx,), (ny,)         cell centres
 * /x_edges, /y_edges  float64 (nx+1,), (ny+1,)  cell edges
 * attributes of / : segment, kernel, boundary, parameters, dx, dy, dt, origin, ...
 * </pre>
 * {@code /time}, {@code /y} and {@code /x} are HDF5 dimension scales attached to the fields' dimensions
 * (and {@code /time} to the series'), so h5py ({@code f["T"].dims[2][0]} is {@code /x}), xarray and
 * netCDF readers see them as coordinates; {@code /x_edges} and {@code /y_edges} are scales of their own.
 * Where the HDF5 high-level library is missing they are plain datasets ({@link #scalesMissing()}).
 * The file is created with the first frame (so the attributes name the parameters in effect then),
 * switched to SWMR mode, and flushed after every frame: a reader opening it with SWMR read access
 * ({@code h5py.File(f, "r", swmr=True)}) sees every frame appended so far, and after a crash of the
 * recorder the file holds every frame whose {@link #append} returned (HDF5 marks such a file as still
 * open for writing: open it with SWMR read access, or clear the mark with {@code h5clear -s}). A
 * companion XDMF file and its XDMF 3 twin ({@link XdmfIndex}) open the series in VisIt and ParaView.
 */
public final class Hdf5Recording implements FrameSink {
    private static final long SERIES_CHUNK = 4096;
    /** Names this layout uses for itself; a field with one of them is stored as NAME_field. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("time", "step", "generation", "params", "x",
            "y", "x_edges", "y_edges");

    private final Path path;
    private final Path xdmfPath;
    private final RunDescription run;
    private final boolean replace;
    private final Hdf5Library hdf5;
    private long file = -1;
    private final List<Long> fieldSets = new ArrayList<>();
    // -1 until created: a create() that failed half-way leaves some unopened, and close() skips those
    private long time = -1;
    private long step = -1;
    private long params = -1;
    private long generation = -1;
    private long x = -1;
    private long y = -1;
    private XdmfIndex xdmf;
    private long frames;
    private boolean failed;

    /**
     * Prepares a recording; nothing is written before the first frame. Loads the HDF5 library now,
     * so a missing one is reported before anything is recorded.
     *
     * @param xdmfPath the companion XDMF file (usually beside the HDF5 file, same name, .xdmf); its XDMF 3
     *                 twin is written beside it, same name, .xdmf3
     * @param replace  overwrite an existing file instead of failing
     */
    public Hdf5Recording(Path path, Path xdmfPath, RunDescription run, boolean replace) throws IOException {
        this.path = path;
        this.xdmfPath = xdmfPath;
        this.run = run;
        this.replace = replace;
        this.hdf5 = Hdf5Library.get();
    }

    /** The companion XDMF file beside an HDF5 file: run.h5 -> run.xdmf. */
    public static Path companionXdmf(Path h5) {
        String name = h5.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return h5.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".xdmf");
    }

    /** The XDMF 3 companion written beside the XDMF one, the file ParaView reads fields from with any reader it offers: run.h5 -> run.xdmf3. */
    public static Path companionXdmf3(Path h5) {
        return XdmfIndex.xdmf3Beside(companionXdmf(h5));
    }

    /** The dataset holding a field: its name, unless the layout uses that name itself (then NAME_field). */
    public static String datasetName(String field) {
        return RESERVED.contains(field) ? field + "_field" : field;
    }

    /**
     * Why this machine writes recordings without dimension scales (the HDF5 high-level library is
     * missing), or null when it writes them.
     */
    public static String scalesMissing() throws IOException {
        return Hdf5Library.get().scalesMissing();
    }

    /** Which library writes the file, e.g. "libhdf5_serial.so.103 1.10.8". */
    public static String libraryDescription() throws IOException {
        return Hdf5Library.get().describe();
    }

    private void create(String paramsInEffect) throws IOException {
        failed = true; // until the file is complete: close() then does not try again
        file = hdf5.createFile(path, replace);
        int nx = run.nx();
        int ny = run.ny();
        for (String field : run.fields()) {
            long set = hdf5.createDataset(file, datasetName(field), hdf5.fileDouble, new long[] {0, ny, nx}, true,
                    new long[] {1, ny, nx});
            hdf5.writeAttribute(set, "long_name", "field " + field + " at cell centres, (time, y, x)");
            fieldSets.add(set);
        }
        time = series("time", hdf5.fileDouble);
        step = series("step", hdf5.fileInt64);
        params = series("params", hdf5.utf8);
        generation = series("generation", hdf5.fileInt64);
        x = coordinates("x", nx, run.x0(), run.dx());
        y = coordinates("y", ny, run.y0(), run.dy());
        if (hdf5.scalesMissing() == null) {
            attachScales();
        }
        attributes(paramsInEffect);
        // From here on no object or attribute may be added; datasets only grow (SWMR).
        hdf5.startSwmrWrite(file);
        hdf5.flush(file);
        xdmf = new XdmfIndex(xdmfPath, path.getFileName().toString(), run);
        failed = false;
    }

    private long series(String name, long type) throws IOException {
        return hdf5.createDataset(file, name, type, new long[] {0}, true, new long[] {SERIES_CHUNK});
    }

    /**
     * Time, y and x as the fields' dimension scales (dimensions 0, 1, 2), time for the series too: what
     * netCDF calls coordinate variables of the dimensions time, y, x.
     */
    private void attachScales() throws IOException {
        hdf5.makeScale(time, "time");
        hdf5.makeScale(y, "y");
        hdf5.makeScale(x, "x");
        for (long set : fieldSets) {
            hdf5.attachScale(set, time, 0, "time");
            hdf5.attachScale(set, y, 1, "y");
            hdf5.attachScale(set, x, 2, "x");
        }
        for (long set : List.of(step, params, generation)) {
            hdf5.attachScale(set, time, 0, "time");
        }
    }

    /** The edges (a dimension scale of their own), then the centres: returned open, for {@link #attachScales}. */
    private long coordinates(String axis, int n, double origin, double spacing) throws IOException {
        double[] centres = new double[n];
        double[] edges = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            edges[i] = origin + i * spacing;
            if (i < n) {
                centres[i] = origin + (i + 0.5) * spacing;
            }
        }
        long edgeSet = hdf5.createDataset(file, axis + "_edges", hdf5.fileDouble, new long[] {n + 1}, false, null);
        try {
            hdf5.write(edgeSet, hdf5.nativeDouble, new long[] {0}, new long[] {n + 1}, MemorySegment.ofArray(edges));
            hdf5.writeAttribute(edgeSet, "long_name", axis + " of the cell edges");
            if (hdf5.scalesMissing() == null) {
                // its own dimension (n + 1 edges), so netCDF readers need no invented dimension names for it
                hdf5.makeScale(edgeSet, axis + "_edges");
            }
        } finally {
            hdf5.closeDataset(edgeSet);
        }
        long set = hdf5.createDataset(file, axis, hdf5.fileDouble, new long[] {n}, false, null);
        try {
            hdf5.write(set, hdf5.nativeDouble, new long[] {0}, new long[] {n}, MemorySegment.ofArray(centres));
            hdf5.writeAttribute(set, "long_name", axis + " of the cell centres");
            return set;
        } catch (IOException e) {
            attempt(() -> hdf5.closeDataset(set), e);
            throw e;
        }
    }

    private void attributes(String paramsInEffect) throws IOException {
        hdf5.writeAttribute(file, "title", "heatgrid recording of " + run.segment());
        hdf5.writeAttribute(file, "heatgrid_recording_version", 1L);
        hdf5.writeAttribute(file, "segment", run.segment());
        hdf5.writeAttribute(file, "segment_id", String.format("%016x", run.segmentId()));
        hdf5.writeAttribute(file, "segment_created", run.created());
        hdf5.writeAttribute(file, "kernel", run.kernel());
        hdf5.writeAttribute(file, "boundary", run.boundary());
        hdf5.writeAttribute(file, "parameters", paramsInEffect);
        for (Map.Entry<String, String> p : dev.heatgrid.segment.SegmentSpec.decodeParams(paramsInEffect).entrySet()) {
            hdf5.writeAttribute(file, "param_" + p.getKey(), p.getValue());
        }
        hdf5.writeAttribute(file, "fields", String.join(",", run.fields()));
        hdf5.writeAttribute(file, "nx", (long) run.nx());
        hdf5.writeAttribute(file, "ny", (long) run.ny());
        hdf5.writeAttribute(file, "dx", run.dx());
        hdf5.writeAttribute(file, "dy", run.dy());
        hdf5.writeAttribute(file, "dt", run.dt());
        hdf5.writeAttribute(file, "origin", run.x0(), run.y0());
        hdf5.writeAttribute(file, "downsample", (long) run.downsample());
        hdf5.writeAttribute(file, "source_nx", (long) run.sourceNx());
        hdf5.writeAttribute(file, "source_ny", (long) run.sourceNy());
        hdf5.writeAttribute(file, "recording", run.everyFrame() ? "every frame (the writer waited for the recorder)"
                : "newest frames (the recorder never slowed the writer; skipped frames are not in the file)");
        hdf5.writeAttribute(file, "layout", "fields are (time, y, x), cell-centred: cell (x, y) covers [x0 + x*dx,"
                + " x0 + (x+1)*dx] x [y0 + y*dy, y0 + (y+1)*dy]; the length of /generation counts complete frames");
        hdf5.writeAttribute(file, "hdf5_library", hdf5.describe());
        hdf5.writeAttribute(file, "dimension_scales", hdf5.scalesMissing() == null ? "time, y, x attached to the"
                + " fields' dimensions 0, 1, 2 (time also to step, params, generation); x_edges, y_edges their own"
                : "none: " + hdf5.scalesMissing());
    }

    @Override
    public void append(RecordedFrame frame) throws IOException {
        if (file < 0) {
            create(frame.params());
        }
        long n = frames;
        int nx = run.nx();
        int ny = run.ny();
        long[] start = {n, 0, 0};
        long[] count = {1, ny, nx};
        for (int f = 0; f < fieldSets.size(); f++) {
            long set = fieldSets.get(f);
            hdf5.setExtent(set, new long[] {n + 1, ny, nx});
            hdf5.write(set, hdf5.nativeDouble, start, count, MemorySegment.ofArray(frame.fields().get(f)));
        }
        appendValue(time, hdf5.nativeDouble, n, MemorySegment.ofArray(new double[] {frame.time()}));
        appendValue(step, hdf5.nativeInt64, n, MemorySegment.ofArray(new long[] {frame.step()}));
        hdf5.setExtent(params, new long[] {n + 1});
        hdf5.writeString(params, n, frame.params());
        // The frame's data before its generation: a file cut short by a crash never counts a frame
        // in /generation whose data did not reach the file.
        hdf5.flush(file);
        appendValue(generation, hdf5.nativeInt64, n, MemorySegment.ofArray(new long[] {frame.generation()}));
        hdf5.flush(file);
        xdmf.append(n, frame);
        frames = n + 1;
    }

    private void appendValue(long set, long memType, long index, MemorySegment value) throws IOException {
        hdf5.setExtent(set, new long[] {index + 1});
        hdf5.write(set, memType, new long[] {index}, new long[] {1}, value);
    }

    @Override
    public long frames() {
        return frames;
    }

    /** Closes the file cleanly: it opens without SWMR from now on. A recording without frames is still created. */
    @Override
    public void close() throws IOException {
        if (file < 0 && !failed) {
            create(dev.heatgrid.segment.SegmentSpec.encodeParams(run.params()));
        }
        if (file < 0) {
            return;
        }
        // Everything that was opened is closed, whatever fails: the file last, so it is complete on disk.
        var sets = new ArrayList<>(fieldSets);
        sets.addAll(List.of(time, step, params, generation, x, y));
        IOException failure = null;
        for (long set : sets) {
            if (set >= 0) {
                failure = attempt(() -> hdf5.closeDataset(set), failure);
            }
        }
        failure = attempt(() -> hdf5.closeFile(file), failure);
        file = -1;
        if (xdmf != null) {
            failure = attempt(xdmf::close, failure);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private interface Closing {
        void run() throws IOException;
    }

    /** Runs {@code step}; returns the first failure so far (a later one is added to it as suppressed). */
    private static IOException attempt(Closing step, IOException failure) {
        try {
            step.run();
        } catch (IOException e) {
            if (failure == null) {
                return e;
            }
            failure.addSuppressed(e);
        }
        return failure;
    }
}
