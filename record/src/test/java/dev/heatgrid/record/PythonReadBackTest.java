package dev.heatgrid.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.segment.Tile;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files as the scientists' own tools read them: h5py (also with SWMR while the file is still being
 * written), xarray through h5netcdf, VTK's own XML reader on every frame of a recorded series, and a
 * reader of the companion XDMF file written from the XDMF format description (vtk_series_check.py and
 * xdmf_check.py beside this class). Each check runs where its Python modules are installed (Debian:
 * python3-h5py, python3-vtk9, python3-xarray with python3-h5netcdf) and is skipped with a message
 * otherwise. ParaView itself opens recordings in the examples module's ParaViewReadsRecordingsTest.
 */
class PythonReadBackTest {
    /** 6 x 4 cells of 0.5 x 0.25 in a tile whose first cell is (3, 2) of the global grid: origin (1.5, 0.5). */
    private static final SegmentSpec TILE = SegmentSpec.of(6, 4, "T", "v").withBuffers(2).withSpacing(0.5, 0.25, 0.1)
            .withTile(new Tile(3, 2, 20, 20));
    private static final String GENERATIONS_1_TO_40 = java.util.stream.LongStream.rangeClosed(1, 40)
            .mapToObj(Long::toString).collect(java.util.stream.Collectors.joining(" "));

    @TempDir
    Path dir;

    @TempDir(factory = ShmTempDir.class)
    Path shm;

    private static Recorder.Settings everyFrame() {
        return new Recorder.Settings(List.of(), 1, null, 1, 0, null, true, Duration.ofSeconds(5), false);
    }

    /** A Python interpreter that can import {@code module} (or several, "a, b"), or null. */
    private static String pythonWith(String module) {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import " + module).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException | InterruptedException e) {
                // not this one
            }
        }
        return null;
    }

    private static String run(String python, String script, String... args) throws Exception {
        return run(python, List.of("-c", script), args);
    }

    /** Runs one of the check scripts beside this class (test resources). */
    private static String runScript(String python, String script, String... args) throws Exception {
        return run(python, List.of(Path.of(PythonReadBackTest.class.getResource(script).toURI()).toString()), args);
    }

    private static String run(String python, List<String> program, String... args) throws Exception {
        var command = new ArrayList<>(List.of(python));
        command.addAll(program);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), output);
        return output.trim();
    }

    private static String skip(String module) {
        String message = "SKIPPED: no Python here imports " + module + " (Debian: apt-get install python3-"
                + switch (module) {
                    case "h5py" -> "h5py";
                    case "xarray, h5netcdf" -> "xarray python3-h5netcdf";
                    default -> "vtk9";
                } + ")";
        System.err.println(message);
        return message;
    }

    private static final String H5PY_CHECK = """
            import sys, h5py, numpy as np
            path, swmr, scales = sys.argv[1], sys.argv[2] == 'swmr', sys.argv[3] == 'scales'
            f = h5py.File(path, 'r', swmr=swmr)
            g = f['generation'][:]
            n = len(g)
            for name, k in (('T', 0), ('v', 1)):
                data = f[name]
                assert data.dtype == np.float64 and data.shape[1:] == (3, 4), (data.dtype, data.shape)
                cells = np.arange(12, dtype=np.float64)
                for row in range(n):
                    expected = g[row] * 1048576.0 + cells + k * 0.5
                    assert np.array_equal(data[row].reshape(-1), expected), (name, row)
            assert f.attrs['kernel'] == 'ftcs', f.attrs['kernel']
            assert f.attrs['param_g'] == '5' and f.attrs['parameters'] == 'g=5\\n', dict(f.attrs)
            assert np.allclose(f['x'][:], [1.25, 1.75, 2.25, 2.75]) and np.allclose(f['y_edges'][:], [2, 2.25, 2.5, 2.75])
            assert f['params'][0] in ('g=%d\\n' % g[0], b'g=%d\\n' % g[0]), f['params'][0]
            if scales:
                for name in ('T', 'v'):
                    dims = f[name].dims
                    assert [dims[i][0].name for i in range(3)] == ['/time', '/y', '/x'], [list(d.keys()) for d in dims]
                    assert [dims[i].label for i in range(3)] == ['time', 'y', 'x'], [d.label for d in dims]
                    assert len(dims[0][0]) == n and np.array_equal(dims[2][0][:], f['x'][:])
                for name in ('step', 'params', 'generation'):
                    assert f[name].dims[0][0].name == '/time', name
                assert all(h5py.h5ds.is_scale(f[s].id) for s in ('time', 'x', 'y', 'x_edges', 'y_edges'))
            print(n, g[0], g[-1])
            """;

    private static RecordedFrame frame(long g) {
        var fields = new ArrayList<double[]>();
        for (int k = 0; k < 2; k++) {
            double[] cells = new double[12];
            for (int i = 0; i < 12; i++) {
                cells[i] = Pattern.value(g, k, i);
            }
            fields.add(cells);
        }
        return new RecordedFrame(g, g * 2, g * 0.25, "g=" + g + "\n", fields);
    }

    /** 4 x 3 cells of 0.5 x 0.25 from (1.0, 2.0), fields T and v, kernel ftcs with alpha = 1.5. */
    private static RunDescription grid() {
        return new RunDescription("/dev/shm/py.hgrid", 7, 4, 3, 0.5, 0.25, 1.0, 2.0, List.of("T", "v"), 0.1, "ftcs",
                "dirichlet:0", Map.of("alpha", "1.5"), "2026-12-06T00:00:00Z", 1, 4, 3, true);
    }

    @Test
    void h5pyReadsTheRecordingWhileItIsWrittenAndAfterwards() throws Exception {
        Hdf5Support.requireLibrary();
        String python = pythonWith("h5py");
        assumeTrue(python != null, () -> skip("h5py"));
        Path h5 = dir.resolve("py.h5");
        try (Hdf5Recording recording = new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), grid(), false)) {
            for (long g = 5; g < 25; g++) {
                recording.append(frame(g));
            }
            // still open for writing: SWMR readers see every frame appended so far
            assertEquals("20 5 24", run(python, H5PY_CHECK, h5.toString(), "swmr", scales()));
            for (long g = 25; g < 30; g++) {
                recording.append(frame(g));
            }
            assertEquals("25 5 29", run(python, H5PY_CHECK, h5.toString(), "swmr", scales()));
        }
        assertEquals("25 5 29", run(python, H5PY_CHECK, h5.toString(), "plain", scales()));
    }

    /** "scales" where this machine writes dimension scales; otherwise the h5py check leaves them out, saying so. */
    private static String scales() throws IOException {
        String missing = Hdf5Recording.scalesMissing();
        if (missing != null) {
            System.err.println("SKIPPED the dimension-scale part of the h5py check: " + missing);
        }
        return missing == null ? "scales" : "none";
    }

    @Test
    void xarrayOpensTheRecordingWithNamedDimensionsAndCoordinates() throws Exception {
        Hdf5Support.requireScales();
        String python = pythonWith("xarray, h5netcdf");
        assumeTrue(python != null, () -> skip("xarray, h5netcdf"));
        Path h5 = dir.resolve("xr.h5");
        try (Hdf5Recording recording = new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), grid(), false)) {
            for (long g = 5; g < 9; g++) {
                recording.append(frame(g));
            }
        }
        // netCDF's view of plain HDF5: dimensions come only from dimension scales (without them h5netcdf
        // refuses the file unless told to invent "phony" dimension names).
        String output = run(python, """
                import sys, xarray as xr, numpy as np
                ds = xr.open_dataset(sys.argv[1], engine='h5netcdf')
                T = ds['T']
                assert T.dims == ('time', 'y', 'x'), T.dims
                assert ds['generation'].dims == ('time',) and ds['step'].dims == ('time',), ds
                assert ds['x_edges'].dims == ('x_edges',), ds['x_edges'].dims
                assert ds.attrs['kernel'] == 'ftcs', ds.attrs
                cell = T.sel(time=1.75, y=2.375, x=2.25)   # generation 7 (time 0.25 g), row 1, column 2
                print(T.coords['x'].values.tolist(), T.coords['y'].values.tolist(), T.coords['time'].values.tolist())
                print(float(cell), ds['generation'].values.tolist())
                """, h5.toString());
        String[] lines = output.split("\n");
        assertEquals("[1.25, 1.75, 2.25, 2.75] [2.125, 2.375, 2.625] [1.25, 1.5, 1.75, 2.0]", lines[0], output);
        assertEquals(Pattern.value(7, 0, 4 + 2) + " [5, 6, 7, 8]", lines[1], output);
    }

    @Test
    void vtksOwnReaderReadsEveryFrameOfARecordedSeriesAtItsTimeAndPlace() throws Exception {
        String python = pythonWith("vtkmodules.vtkIOXML");
        assumeTrue(python != null, () -> skip("vtkmodules.vtkIOXML"));
        Path pvd = dir.resolve("series.pvd");
        Recorder.Result result = PatternRecording.record(shm.resolve("vtk.hgrid"), TILE, everyFrame(),
                run -> new VtkSeries(pvd, dir.resolve("series"), "series", run), 40, note -> { });
        assertEquals(40, result.counts().recorded());
        // the .pvd's times increase and equal each .vti's TimeValue; extent, origin (the tile's), spacing;
        // every cell of both fields
        assertEquals("40 " + GENERATIONS_1_TO_40, runScript(python, "vtk_series_check.py", pvd.toString(), "6", "4",
                "0.5", "0.25", "1.5", "0.5", "T,v"));
    }

    @Test
    void anXdmfReaderWrittenFromTheFormatDescriptionResolvesEveryFrameOfARecording() throws Exception {
        Hdf5Support.requireLibrary();
        String python = pythonWith("h5py");
        assumeTrue(python != null, () -> skip("h5py"));
        Path h5 = dir.resolve("run.h5");
        Recorder.Result result = PatternRecording.record(shm.resolve("xdmf.hgrid"), TILE, everyFrame(),
                run -> new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), run, false), 40, note -> { });
        assertEquals(40, result.counts().recorded());
        // 40 grids, the last one's source declared with all 40 rows, each showing its own generation
        assertEquals("40 40 " + GENERATIONS_1_TO_40, runScript(python, "xdmf_check.py",
                Hdf5Recording.companionXdmf(h5).toString(), "T,v"));
    }

    @Test
    void vtksOwnReaderReadsTheVtiCellForCell() throws Exception {
        String python = pythonWith("vtkmodules.vtkIOXML");
        assumeTrue(python != null, () -> skip("vtkmodules.vtkIOXML"));
        Path vti = dir.resolve("frame.vti");
        VtkImageFile.write(vti, grid(), frame(9));
        String output = run(python, """
                import sys
                from vtkmodules.vtkIOXML import vtkXMLImageDataReader
                r = vtkXMLImageDataReader(); r.SetFileName(sys.argv[1]); r.Update()
                image = r.GetOutput()
                print(image.GetDimensions(), image.GetOrigin(), image.GetSpacing(), image.GetNumberOfCells())
                for name in ('T', 'v'):
                    a = image.GetCellData().GetArray(name)
                    print(name, a.GetDataTypeAsString(), ' '.join(repr(a.GetValue(i)) for i in range(a.GetNumberOfTuples())))
                print('time', image.GetFieldData().GetArray('TimeValue').GetValue(0))
                """, vti.toString());
        String[] lines = output.split("\n");
        assertEquals("(5, 4, 1) (1.0, 2.0, 0.0) (0.5, 0.25, 1.0) 12", lines[0]);
        for (int k = 0; k < 2; k++) {
            String[] parts = lines[1 + k].split(" ");
            assertEquals(k == 0 ? "T" : "v", parts[0]);
            assertEquals("double", parts[1]);
            for (int i = 0; i < 12; i++) {
                assertEquals(Pattern.value(9, k, i), Double.parseDouble(parts[2 + i]), "cell " + i);
            }
        }
        assertEquals("time 2.25", lines[3]);
        Files.deleteIfExists(vti);
    }
}
