package dev.heatgrid.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HDF5 layout, read back with the same library. */
class Hdf5RecordingTest {
    @TempDir
    Path dir;

    @BeforeEach
    void needsHdf5() {
        Hdf5Support.requireLibrary();
    }

    static RunDescription run(int nx, int ny, List<String> fields) {
        return new RunDescription("/dev/shm/test.hgrid", 0x1234abcdL, nx, ny, 0.5, 0.25, 1.0, 2.0, fields, 0.01,
                "ftcs", "dirichlet:0", Map.of("alpha", "1.5"), "2026-12-06T00:00:00Z", 1, nx, ny, true);
    }

    static RecordedFrame frame(long generation, int nx, int ny, int fields) {
        var data = new java.util.ArrayList<double[]>();
        for (int f = 0; f < fields; f++) {
            double[] cells = new double[nx * ny];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = generation * 1000.0 + f * 100.0 + i * 0.001;
            }
            data.add(cells);
        }
        return new RecordedFrame(generation, generation * 10, generation * 0.5, "alpha=1.5\nstep=" + generation + "\n", data);
    }

    @Test
    void framesAttributesAndCoordinatesReadBack() throws IOException {
        Path h5 = dir.resolve("run.h5");
        RunDescription run = run(5, 3, List.of("T", "v"));
        try (Hdf5Recording recording = new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), run, false)) {
            for (long g = 7; g < 10; g++) {
                recording.append(frame(g, 5, 3, 2));
            }
            assertEquals(3, recording.frames());
        }
        Hdf5Library hdf5 = Hdf5Library.get();
        long file = hdf5.openFile(h5, Hdf5Library.F_ACC_RDONLY);
        try {
            long t = hdf5.openDataset(file, "T");
            assertArrayEquals(new long[] {3, 3, 5}, hdf5.dims(t));
            for (int n = 0; n < 3; n++) {
                double[] cells = new double[15];
                hdf5.read(t, hdf5.nativeDouble, new long[] {n, 0, 0}, new long[] {1, 3, 5}, MemorySegment.ofArray(cells));
                assertArrayEquals(frame(7 + n, 5, 3, 2).fields().get(0), cells);
            }
            hdf5.closeDataset(t);
            long generation = hdf5.openDataset(file, "generation");
            long[] generations = new long[3];
            hdf5.read(generation, hdf5.nativeInt64, new long[] {0}, new long[] {3}, MemorySegment.ofArray(generations));
            assertArrayEquals(new long[] {7, 8, 9}, generations);
            hdf5.closeDataset(generation);
            long params = hdf5.openDataset(file, "params");
            assertEquals("alpha=1.5\nstep=8\n", hdf5.readString(params, 1));
            hdf5.closeDataset(params);
            long x = hdf5.openDataset(file, "x_edges");
            double[] edges = new double[6];
            hdf5.read(x, hdf5.nativeDouble, new long[] {0}, new long[] {6}, MemorySegment.ofArray(edges));
            assertArrayEquals(new double[] {1.0, 1.5, 2.0, 2.5, 3.0, 3.5}, edges);
            hdf5.closeDataset(x);
            assertEquals("ftcs", hdf5.readStringAttribute(file, "kernel"));
            assertEquals("1.5", hdf5.readStringAttribute(file, "param_alpha"));
            assertArrayEquals(new double[] {1.0, 2.0}, hdf5.readDoubleAttribute(file, "origin", 2));
            assertArrayEquals(new long[] {5}, hdf5.readLongAttribute(file, "nx", 1));
        } finally {
            hdf5.closeFile(file);
        }
        String xdmf = Files.readString(Hdf5Recording.companionXdmf(h5));
        assertTrue(xdmf.contains("<Time Value=\"4.5\"/>"), xdmf);
        assertTrue(xdmf.endsWith("</Xdmf>\n"));
        // the XDMF 3 twin (the file to open in ParaView) names the third frame's slab of v in the path
        String xdmf3 = Files.readString(dir.resolve("run.xdmf3"));
        assertTrue(xdmf3.contains("<Xdmf Version=\"3.0\">"), xdmf3);
        assertTrue(xdmf3.contains("<Time Value=\"4.5\"/>"), xdmf3);
        assertTrue(xdmf3.contains(">run.h5:/v|2 0 0:1 1 1:1 3 5:3 3 5</DataItem>"), xdmf3);
        assertTrue(xdmf3.endsWith("</Xdmf>\n"));
    }

    @Test
    void timeYAndXAreDimensionScalesOfEveryFieldAndTimeOfEverySeries() throws IOException {
        Hdf5Support.requireScales();
        Path h5 = dir.resolve("scales.h5");
        try (Hdf5Recording recording = new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), run(5, 3, List.of("T", "v")),
                false)) {
            recording.append(frame(4, 5, 3, 2));
            recording.append(frame(5, 5, 3, 2));
        }
        Hdf5Library hdf5 = Hdf5Library.get();
        long file = hdf5.openFile(h5, Hdf5Library.F_ACC_RDONLY);
        var open = new java.util.HashMap<String, Long>();
        try {
            for (String name : List.of("T", "v", "time", "x", "y", "step", "params", "generation", "x_edges", "y_edges")) {
                open.put(name, hdf5.openDataset(file, name));
            }
            List<String> axes = List.of("time", "y", "x");
            for (String field : List.of("T", "v")) {
                for (int dim = 0; dim < 3; dim++) {
                    for (int other = 0; other < 3; other++) {
                        assertEquals(dim == other, hdf5.scaleAttached(open.get(field), open.get(axes.get(other)), dim),
                                field + " dimension " + dim + " and /" + axes.get(other));
                    }
                    assertEquals(axes.get(dim), hdf5.dimensionLabel(open.get(field), dim));
                }
            }
            for (String series : List.of("step", "params", "generation")) {
                assertTrue(hdf5.scaleAttached(open.get(series), open.get("time"), 0), series);
                assertEquals("time", hdf5.dimensionLabel(open.get(series), 0));
            }
            for (String scale : List.of("time", "x", "y", "x_edges", "y_edges")) {
                assertEquals(scale, hdf5.scaleName(open.get(scale)));
            }
            assertTrue(hdf5.readStringAttribute(file, "dimension_scales").startsWith("time, y, x attached"),
                    hdf5.readStringAttribute(file, "dimension_scales"));
        } finally {
            for (long set : open.values()) {
                hdf5.closeDataset(set);
            }
            hdf5.closeFile(file);
        }
    }

    @Test
    void withoutTheHighLevelLibraryTheRecordingHasNoScalesAndSaysWhy() throws Exception {
        Path h5 = dir.resolve("plain.h5");
        try (JvmProcess child = JvmProcess.start(List.of("env", Hdf5Library.HL_LIBRARY_VARIABLE + "=" + dir.resolve(
                "no-such-libhdf5_hl.so")), List.of(), TwoFrameRecordingMain.class, h5.toString())) {
            assertEquals(0, child.waitFor(Duration.ofSeconds(60)), child.stderr());
            String line = child.awaitLine("SCALES", Duration.ofSeconds(10));
            assertTrue(line.startsWith("SCALES MISSING the HDF5 high-level library (libhdf5_hl, Debian/Ubuntu:"
                    + " libhdf5-hl-100"), line);
        }
        try (Hdf5Contents contents = new Hdf5Contents(h5, false)) {
            assertArrayEquals(new long[] {1, 2}, contents.generations);
            assertArrayEquals(frame(2, 5, 3, 1).fields().get(0), contents.frame("T", 1));
            assertTrue(contents.stringAttribute("dimension_scales").startsWith("none: the HDF5 high-level library"),
                    contents.stringAttribute("dimension_scales"));
        }
    }

    @Test
    void aFieldNamedLikeALayoutDatasetGetsASuffix() throws IOException {
        Path h5 = dir.resolve("names.h5");
        try (Hdf5Recording recording = new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), run(2, 2, List.of("time", "T")),
                false)) {
            recording.append(frame(3, 2, 2, 2));
        }
        try (Hdf5Contents contents = new Hdf5Contents(h5, false)) {
            assertArrayEquals(frame(3, 2, 2, 2).fields().get(0), contents.frame("time_field", 0));
            assertArrayEquals(new long[] {3}, contents.generations);
        }
        assertTrue(Files.readString(Hdf5Recording.companionXdmf(h5)).contains("names.h5:/time_field</DataItem>"));
    }

    @Test
    void anExistingFileIsNotOverwrittenUnlessAsked() throws IOException {
        Path h5 = dir.resolve("exists.h5");
        Files.writeString(h5, "precious");
        IOException e = assertThrows(IOException.class, () -> {
            try (Hdf5Recording recording = new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), run(2, 2, List.of("T")),
                    false)) {
                recording.append(frame(1, 2, 2, 1));
            }
        });
        assertTrue(e.getMessage().contains("creating " + h5), e.getMessage());
        assertEquals("precious", Files.readString(h5));
    }

    @Test
    void anErrorLongerThanAnyBufferIsReportedNotACrash() throws IOException {
        // HDF5 puts the file name into its error text: a name of 6000 characters makes a description
        // longer than 4 KiB, which the error-stack upcall must read whole (an upcall that throws kills the JVM).
        Path deep = dir.resolve("x".repeat(6000) + ".h5");
        IOException e = assertThrows(IOException.class, () -> Hdf5Library.get().createFile(deep, false));
        assertTrue(e.getMessage().contains("creating " + deep), e.getMessage());
        assertTrue(e.getMessage().contains("x".repeat(6000)), "the library's own words, whole: " + e.getMessage().length()
                + " characters");
    }

    @Test
    void aCreationThatFailsHalfWayKeepsItsReasonAndClosesTheFile() throws IOException {
        Path h5 = dir.resolve("half.h5");
        // A field name HDF5 cannot take as a dataset name (no group "a"): the file exists, its datasets do not.
        var recording = new Hdf5Recording(h5, Hdf5Recording.companionXdmf(h5), run(2, 2, List.of("a/b")), false);
        IOException e = assertThrows(IOException.class, () -> recording.append(frame(1, 2, 2, 1)));
        assertTrue(e.getMessage().contains("creating dataset a/b"), e.getMessage());
        recording.close(); // nothing else was opened: closing must not fail on what never existed
        Hdf5Library hdf5 = Hdf5Library.get();
        // HDF5 refuses to open, read-only, a file this process still holds open for writing.
        hdf5.closeFile(hdf5.openFile(h5, Hdf5Library.F_ACC_RDONLY));
    }
}
