package dev.heatgrid.examples.paraview;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.heatgrid.record.Hdf5Contents;
import dev.heatgrid.record.Hdf5Recording;
import dev.heatgrid.record.Hdf5Support;
import dev.heatgrid.record.Pattern;
import dev.heatgrid.record.Recorder;
import dev.heatgrid.record.VtkSeries;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.GateStatus;
import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.SegmentWriter;
import dev.heatgrid.segment.Tile;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.KernelCatalog;
import dev.heatgrid.solver.Solver;
import dev.heatgrid.solver.SolverConfig;
import dev.heatgrid.solver.StopCondition;
import dev.heatgrid.solver.spi.Boundary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ParaView itself (Debian's 5.11, its own Python, no display) opens what {@code heatgrid record} writes
 * and shows exactly what the writer published. A run is recorded every frame into HDF5 with its XDMF
 * companion and into a VTK series at once; ParaView's "XDMF Reader" (XDMFReader, the XDMF 2 library),
 * its PVD reader, and its reader of a lone .vti must then offer one time step per recorded frame at the
 * frame's time (the recorded /time dataset and the .pvd's timesteps, double for double), the grid's
 * cells as cells of the right dimensions, placed at the segment's origin with its spacing, and every
 * cell of every field equal to the published frame of that generation. The same holds for the file a
 * ParaView user opens without choosing a reader, run.xdmf3 beside run.h5 (OpenDataFile picks
 * Xdmf3ReaderS), and for Xdmf3ReaderT on it. ParaView 5.11's XDMF 3 readers on run.xdmf (Xdmf3ReaderS
 * is also what ParaView picks by itself there) see the times and the mesh but drop the fields, as
 * docs/RECORDING.md says. VisIt and MATLAB are not available here and are not run.
 */
class ParaViewReadsRecordingsTest {
    /** The recorders lose nothing; the solver waits for them (the gate's bound is not what is tested here). */
    private static final Recorder.Settings EVERY_FRAME = new Recorder.Settings(List.of(), 1, null, 1, 0, null, true,
            Duration.ofSeconds(30), false);

    @TempDir
    Path dir;

    @TempDir(factory = ShmTempDir.class)
    Path shm;

    /** A published frame as a reader copied it, right after it was published. */
    private record Published(long generation, long step, double time, List<double[]> fields) {
    }

    /** What the segment published and where the two recorders put it. */
    private record Recorded(SegmentSpec spec, List<Published> frames, Path h5, Path pvd) {
        double x0() {
            return spec.tile().originX() * spec.dx();
        }

        double y0() {
            return spec.tile().originY() * spec.dy();
        }

        /** Cell edges as docs/RECORDING.md defines them: cell i covers [x0 + i*dx, x0 + (i+1)*dx]. */
        double[] edges(int axis) {
            int n = axis == 0 ? spec.nx() : spec.ny();
            double origin = axis == 0 ? x0() : y0();
            double spacing = axis == 0 ? spec.dx() : spec.dy();
            double[] edges = new double[n + 1];
            for (int i = 0; i <= n; i++) {
                edges[i] = origin + i * spacing;
            }
            return edges;
        }
    }

    /** A writer that publishes one frame per call; closing it ends the run and so the recordings. */
    private interface Run extends AutoCloseable {
        void publishNext() throws IOException;

        @Override
        void close() throws IOException;
    }

    @Test
    void paraViewShowsEveryRecordedFrameOfAGrayScottRunAsItWasPublished() throws Exception {
        Hdf5Support.requireLibrary();
        Path pvpython = ParaView.pvpython();
        // Two evolving fields, a grid that is not square, a spacing that is not a binary fraction, and a
        // time step that makes every time a long decimal: nothing lines up by accident.
        SolverConfig config = SolverConfig.builder().catalog(KernelCatalog.installed()).kernel("gray-scott")
                .size(new GridSize(24, 15)).spacing(0.3, 0.7).boundary(Boundary.parse("periodic")).threads(1).build();
        Path segment = shm.resolve("gray-scott.hgrid");
        Solver solver = Solver.create(segment, config); // publishes step 0
        Recorded recorded = record(segment, new Run() {
            @Override
            public void publishNext() throws IOException {
                solver.run(StopCondition.steps(1));
            }

            @Override
            public void close() throws IOException {
                solver.close();
            }
        }, 30);
        assertEquals(31, recorded.frames().size());
        assertEquals(List.of("u", "v"), recorded.spec().fields());
        check(pvpython, recorded);
    }

    @Test
    void paraViewPlacesARecordedTileWhereItLiesInTheWholeGrid() throws Exception {
        Hdf5Support.requireLibrary();
        Path pvpython = ParaView.pvpython();
        // 7 x 5 cells of 0.3 x 0.7 whose first cell is (4, 3) of a 20 x 20 grid: origin (1.2, 2.1)
        SegmentSpec spec = SegmentSpec.of(7, 5, "T", "v").withSpacing(0.3, 0.7, 0.1).withTile(new Tile(4, 3, 20, 20));
        Path segment = shm.resolve("tile.hgrid");
        SegmentWriter writer = SegmentWriter.create(segment, spec);
        Recorded recorded = record(segment, new Run() {
            @Override
            public void publishNext() throws IOException {
                Pattern.publish(writer);
            }

            @Override
            public void close() throws IOException {
                writer.close();
            }
        }, 6);
        assertEquals(6, recorded.frames().size());
        assertTrue(recorded.x0() > 1 && recorded.y0() > 2, recorded.x0() + ", " + recorded.y0());
        check(pvpython, recorded);
    }

    /**
     * Starts an HDF5 and a VTK recorder on {@code segment} as {@code heatgrid record --every-frame} does
     * ({@code --out run.h5}, {@code --out run.pvd}), waits until both hold a gate slot, publishes
     * {@code frames} frames (copying each right after it is published), and ends the run.
     */
    private Recorded record(Path segment, Run run, int frames) throws Exception {
        Path h5 = dir.resolve("run.h5");
        Path pvd = dir.resolve("run.pvd");
        var published = new ArrayList<Published>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Recorder.Result> hdf5;
            Future<Recorder.Result> vtk;
            SegmentSpec spec;
            try (run; FrameReader reader = FrameReader.open(segment)) { // closing the run ends the recordings
                spec = reader.layout().spec();
                hdf5 = pool.submit(() -> new Recorder(segment, EVERY_FRAME,
                        description -> new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), description, false),
                        note -> System.err.println("hdf5 recorder: " + note)).run(() -> false));
                vtk = pool.submit(() -> new Recorder(segment, EVERY_FRAME,
                        description -> new VtkSeries(pvd, dir.resolve("run"), "run", description),
                        note -> System.err.println("vtk recorder: " + note)).run(() -> false));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (GateStatus.of(reader).members().size() < 2) {
                    assertTrue(System.nanoTime() < deadline, "the recorders never joined the gate: " + GateStatus.of(reader));
                    Thread.sleep(5);
                }
                Frame frame = Frame.shapedFor(reader.layout());
                if (reader.generation() > 0) {
                    published.add(copy(reader, frame)); // the solver's step 0, which the recorders find when they join
                }
                for (int i = 0; i < frames; i++) {
                    run.publishNext();
                    published.add(copy(reader, frame)); // nobody else publishes: the newest frame is this one
                }
            }
            for (Future<Recorder.Result> result : List.of(hdf5, vtk)) {
                Recorder.Counts counts = result.get(60, TimeUnit.SECONDS).counts();
                assertEquals(published.size(), counts.recorded(), counts.toString());
                assertEquals(published.getFirst().generation(), counts.first(), counts.toString());
                assertEquals(published.getLast().generation(), counts.last(), counts.toString());
            }
            return new Recorded(spec, published, h5, pvd);
        } finally {
            pool.shutdownNow();
        }
    }

    private static Published copy(FrameReader reader, Frame frame) throws IOException {
        long generation = reader.latest(frame);
        var fields = new ArrayList<double[]>();
        for (int f = 0; f < frame.fieldNames().size(); f++) {
            fields.add(frame.field(f).clone());
        }
        return new Published(generation, frame.header().step(), frame.header().time(), fields);
    }

    private void check(Path pvpython, Recorded recorded) throws Exception {
        Path xdmf = Hdf5Recording.companionXdmf(recorded.h5());
        Path xdmf3 = recorded.h5().resolveSibling("run.xdmf3"); // the file to open in ParaView (docs/RECORDING.md)
        Published last = recorded.frames().getLast();
        Path lastVti;
        try (var files = Files.list(recorded.pvd().resolveSibling("run"))) {
            lastVti = files.sorted().toList().getLast(); // names end in the zero-padded generation
        }
        // What the recorder wrote, read back with libhdf5: the frames in order, their times, the edges.
        try (Hdf5Contents h5 = new Hdf5Contents(recorded.h5(), false)) {
            assertArrayEquals(recorded.frames().stream().mapToLong(Published::generation).toArray(), h5.generations);
            assertArrayEquals(times(recorded.frames()), h5.doubles("time"), "/time");
            assertArrayEquals(recorded.edges(0), h5.doubles("x_edges"), "/x_edges");
            assertArrayEquals(recorded.edges(1), h5.doubles("y_edges"), "/y_edges");
        }
        JsonNode report = ParaView.read(pvpython, dir, "XDMFReader", xdmf.toString(), "Xdmf3ReaderS", xdmf.toString(),
                "Xdmf3ReaderT", xdmf.toString(), "OpenDataFile", xdmf3.toString(), "Xdmf3ReaderT", xdmf3.toString(),
                "PVDReader", recorded.pvd().toString(),
                "XMLImageDataReader", lastVti.toString());
        String version = report.get("paraview").asText();
        boolean documented = version.equals("5.11"); // the version docs/RECORDING.md describes reader by reader
        List<String> fields = recorded.spec().fields().stream().sorted().toList(); // as the script lists them
        for (JsonNode reader : report.get("readers")) {
            String name = reader.get("reader").asText();
            String file = reader.get("file").asText();
            String requested = reader.get("requested").asText(); // OpenDataFile: the reader ParaView picked
            String what = "ParaView " + version + " " + (requested.equals(name) ? name : requested + " -> " + name) + " on "
                    + file;
            // a lone .vti (as snapshot --out x.vti writes it) is one frame at its TimeValue
            List<Published> frames = name.equals("XMLImageDataReader") ? List.of(last) : recorded.frames();
            assertArrayEquals(times(frames), doubles(reader.get("times")), what + ": time steps");
            JsonNode steps = reader.get("steps");
            assertEquals(frames.size(), steps.size(), what);
            // The fields each step must show: all of them, as cell data; for the XDMF 3 readers of 5.11 on
            // run.xdmf, none. (They ask a HyperSlab attribute its number type before reading it, get none, and
            // skip it: "Skipping unrecognized array type [None]"; run.xdmf3 names its hyperslabs in the HDF5
            // path instead.) Whatever another version shows of run.xdmf is checked cell for cell.
            boolean skipsHyperSlabs = name.startsWith("Xdmf3") && file.endsWith(".xdmf");
            List<String> expected = skipsHyperSlabs ? (documented ? List.of() : null) : fields;
            if (!skipsHyperSlabs) {
                assertEquals(fields, strings(reader.get("cell_arrays")), what + ": the arrays it offers");
            }
            assertEquals(List.of(), strings(reader.get("point_arrays")), what + ": fields are cell data");
            for (int k = 0; k < steps.size(); k++) {
                checkStep(what + ", step " + k, steps.get(k), recorded, frames.get(k), expected);
            }
            if (documented) {
                // what ParaView opens a file with when nobody chooses (OpenDataFile; the window asks): .xdmf
                // is claimed by the XDMF Reader and the XDMF 3 readers, .xdmf3 by the XDMF 3 readers only
                String own = file.endsWith(".xdmf") || file.endsWith(".xdmf3") ? "Xdmf3ReaderS" : name;
                assertEquals(own, reader.get("default_reader").asText(), what);
            }
            List<String> shown = names(steps.get(0).get("cell_data"));
            System.out.printf("%s: %d time step(s) (%s .. %s), mesh and times equal, cell data %s%s; ParaView's own pick: %s%n",
                    what, steps.size(), frames.getFirst().time(), last.time(), shown,
                    shown.isEmpty() ? "" : ", every cell equal to the published frame",
                    reader.get("default_reader").asText());
        }
    }

    private static double[] times(List<Published> frames) {
        return frames.stream().mapToDouble(Published::time).toArray();
    }

    /** One time step: time, points, placement, and every cell of the fields it shows ({@code expected}, or any if null). */
    private static void checkStep(String what, JsonNode step, Recorded recorded, Published frame, List<String> expected) {
        int nx = recorded.spec().nx();
        int ny = recorded.spec().ny();
        assertEquals(frame.time(), step.get("data_time").asDouble(), what + ": the time its data carries");
        assertEquals(List.of(nx + 1, ny + 1, 1), ints(step.get("dimensions")), what + ": points");
        assertEquals(List.of(0, nx, 0, ny, 0, 0), ints(step.get("extent")), what);
        assertEquals(nx * ny, step.get("cells").asInt(), what);
        String type = step.get("class").asText();
        if (type.equals("vtkImageData")) {
            assertArrayEquals(new double[] {recorded.x0(), recorded.y0(), 0}, doubles(step.get("origin")), what + ": origin");
            assertArrayEquals(new double[] {recorded.spec().dx(), recorded.spec().dy(), 1}, doubles(step.get("spacing")),
                    what + ": spacing");
            JsonNode fieldData = step.get("field_data");
            assertEquals(frame.time(), fieldData.get("TimeValue").get("values").get(0).asDouble(), what);
            assertEquals(frame.step(), fieldData.get("step").get("values").get(0).asLong(), what);
            assertEquals(frame.generation(), fieldData.get("generation").get("values").get(0).asLong(), what);
        } else {
            assertEquals("vtkRectilinearGrid", type, what);
            JsonNode coordinates = step.get("coordinates");
            assertArrayEquals(recorded.edges(0), doubles(coordinates.get(0)), what + ": x of the nodes");
            assertArrayEquals(recorded.edges(1), doubles(coordinates.get(1)), what + ": y of the nodes");
            assertArrayEquals(new double[] {0}, doubles(coordinates.get(2)), what + ": z");
        }
        JsonNode cellData = step.get("cell_data");
        List<String> shown = names(cellData);
        if (expected != null) {
            assertEquals(expected, shown, what + ": cell data");
        }
        List<String> fields = recorded.spec().fields();
        for (String field : shown) {
            JsonNode array = cellData.get(field);
            assertTrue(fields.contains(field), what + ": a cell array the recording does not hold: " + field);
            assertEquals("double", array.get("type").asText(), what + " " + field);
            assertEquals(1, array.get("components").asInt(), what + " " + field);
            // VTK numbers cells x fastest, as the segment and the HDF5 rows do: index y * nx + x in both
            assertArrayEquals(frame.fields().get(fields.indexOf(field)), doubles(array.get("values")),
                    what + ": field " + field + " of generation " + frame.generation());
        }
    }

    private static List<String> names(JsonNode object) {
        var names = new ArrayList<String>();
        object.fieldNames().forEachRemaining(names::add);
        return names.stream().sorted().toList();
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    private static List<Integer> ints(JsonNode array) {
        var values = new ArrayList<Integer>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }

    private static List<String> strings(JsonNode array) {
        var values = new ArrayList<String>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
