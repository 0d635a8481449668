package dev.heatgrid.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files as the scientists' own tools read them: h5py (also with SWMR while the file is still being
 * written) and VTK's own XML reader. Each check runs where its Python module is installed
 * (Debian: python3-h5py, python3-vtk9) and is skipped with a message otherwise.
 */
class PythonReadBackTest {
    @TempDir
    Path dir;

    /** A Python interpreter that can import {@code module}, or null. */
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
        var command = new ArrayList<>(List.of(python, "-c", script));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS), "python did not finish");
        assertEquals(0, p.exitValue(), output);
        return output.trim();
    }

    private static String skip(String module) {
        String message = "SKIPPED: no Python here imports " + module + " (Debian: apt-get install python3-"
                + (module.equals("h5py") ? "h5py" : "vtk9") + ")";
        System.err.println(message);
        return message;
    }

    private static final String H5PY_CHECK = """
            import sys, h5py, numpy as np
            path, swmr = sys.argv[1], sys.argv[2] == 'swmr'
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

    @Test
    void h5pyReadsTheRecordingWhileItIsWrittenAndAfterwards() throws Exception {
        Hdf5Support.requireLibrary();
        String python = pythonWith("h5py");
        assumeTrue(python != null, () -> skip("h5py"));
        Path h5 = dir.resolve("py.h5");
        RunDescription run = new RunDescription("/dev/shm/py.hgrid", 7, 4, 3, 0.5, 0.25, 1.0, 2.0, List.of("T", "v"), 0.1,
                "ftcs", "dirichlet:0", Map.of("alpha", "1.5"), "2026-12-06T00:00:00Z", 1, 4, 3, true);
        try (Hdf5Recording recording = new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), run, false)) {
            for (long g = 5; g < 25; g++) {
                recording.append(frame(g));
            }
            // still open for writing: SWMR readers see every frame appended so far
            assertEquals("20 5 24", run(python, H5PY_CHECK, h5.toString(), "swmr"));
            for (long g = 25; g < 30; g++) {
                recording.append(frame(g));
            }
            assertEquals("25 5 29", run(python, H5PY_CHECK, h5.toString(), "swmr"));
        }
        assertEquals("25 5 29", run(python, H5PY_CHECK, h5.toString(), "plain"));
    }

    @Test
    void vtksOwnReaderReadsTheVtiCellForCell() throws Exception {
        String python = pythonWith("vtkmodules.vtkIOXML");
        assumeTrue(python != null, () -> skip("vtkmodules.vtkIOXML"));
        RunDescription run = new RunDescription("/dev/shm/py.hgrid", 7, 4, 3, 0.5, 0.25, 1.0, 2.0, List.of("T", "v"), 0.1,
                "ftcs", "dirichlet:0", Map.of(), "2026-12-06T00:00:00Z", 1, 4, 3, false);
        Path vti = dir.resolve("frame.vti");
        VtkImageFile.write(vti, run, frame(9));
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
