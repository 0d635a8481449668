package dev.heatgrid.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import dev.heatgrid.solver.spi.Boundary;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Initial conditions: the built-in shapes and grids loaded from .csv and .npy files (row y = 0 first). */
class InitialConditionTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private Frame initial(SolverConfig.Builder config) throws IOException {
        Path segment = dir.resolve("init-" + System.nanoTime() + ".hgrid");
        try (Solver solver = Solver.create(segment, config.boundary(Boundary.parse("neumann")).threads(1).build())) {
            return Grids.latest(segment);
        }
    }

    @Test
    void builtInShapes() throws IOException {
        Frame hot = initial(SolverConfig.builder().size(new GridSize(33, 17)).initial(InitialCondition.parse("hotspot:100")));
        assertEquals(100, hot.get(0, 16, 8));
        assertEquals(0, hot.get(0, 0, 0));
        assertEquals(100, hot.header().stats().get(0).max());
        Frame gauss = initial(SolverConfig.builder().size(new GridSize(41, 41)).initial(InitialCondition.parse("gaussian:2")));
        assertEquals(2, gauss.get(0, 20, 20), 1e-15);
        assertEquals(gauss.get(0, 10, 20), gauss.get(0, 30, 20), "symmetric");
        Frame sine = initial(SolverConfig.builder().size(new GridSize(9, 5)).initial(InitialCondition.parse("sine:1,1")));
        assertEquals(1, sine.get(0, 4, 2), 1e-15);
        Frame r1 = initial(SolverConfig.builder().size(new GridSize(8, 8)).initial(InitialCondition.parse("random:5")));
        Frame r2 = initial(SolverConfig.builder().size(new GridSize(8, 8)).initial(InitialCondition.parse("random:5")));
        assertArrayEquals(r1.field(0), r2.field(0), "the seed reproduces the field");
    }

    @Test
    void csvRowsAreYFromZeroAndTheFileSetsTheSize() throws IOException {
        Path csv = dir.resolve("grid.csv");
        Files.writeString(csv, "# a 4x3 grid\n1,2,3,4\n5 6 7 8\n9, 10, 11, 12\n\n");
        Frame f = initial(SolverConfig.builder().initial(InitialCondition.parse("file:" + csv)));
        assertEquals(4, f.nx());
        assertEquals(3, f.ny());
        assertEquals(1, f.get(0, 0, 0));
        assertEquals(8, f.get(0, 3, 1));
        assertEquals(12, f.get(0, 3, 2));
        Files.writeString(csv, "1,2,3\n4,5\n");
        var ragged = assertThrows(IllegalArgumentException.class, () -> initial(SolverConfig.builder()
                .initial(InitialCondition.parse("file:" + csv))));
        assertTrue(ragged.getMessage().endsWith("grid.csv line 2 has 2 values but the first row has 3; every row must have the same length"),
                ragged.getMessage());
        Files.writeString(csv, "1,2,3\n4,x,6\n1,1,1\n");
        var notANumber = assertThrows(IllegalArgumentException.class, () -> initial(SolverConfig.builder()
                .initial(InitialCondition.parse("file:" + csv))));
        assertTrue(notANumber.getMessage().endsWith("grid.csv line 2, value 2: 'x' is not a number"), notANumber.getMessage());
    }

    @Test
    void npyInEveryLayoutWeRead() throws IOException {
        Path c = dir.resolve("c.npy");
        RunControlTest.writeNpy(c, 5, 3, i -> i);
        Frame f = initial(SolverConfig.builder().initial(new InitialCondition.FromFile(c)));
        assertEquals(5, f.nx());
        assertEquals(3, f.ny());
        assertEquals(7, f.get(0, 2, 1));

        // float32, big-endian, Fortran order: element i is (y = i mod ny, x = i / ny)
        Path fortran = dir.resolve("f.npy");
        writeRaw(fortran, "{'descr': '>f4', 'fortran_order': True, 'shape': (3, 5), }", 15, 4, ByteOrder.BIG_ENDIAN,
                (buf, i) -> buf.putFloat((float) ((i % 3) * 5 + i / 3)));
        assertArrayEquals(f.field(0), initial(SolverConfig.builder().initial(new InitialCondition.FromFile(fortran))).field(0));

        Path ints = dir.resolve("i.npy");
        writeRaw(ints, "{'descr': '<i4', 'fortran_order': False, 'shape': (3, 5), }", 15, 4, ByteOrder.LITTLE_ENDIAN,
                (buf, i) -> buf.putInt(i));
        assertArrayEquals(f.field(0), initial(SolverConfig.builder().initial(new InitialCondition.FromFile(ints))).field(0));

        Path cube = dir.resolve("cube.npy");
        writeRaw(cube, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2, 2), }", 8, 8, ByteOrder.LITTLE_ENDIAN,
                (buf, i) -> buf.putDouble(i));
        var threeD = assertThrows(IllegalArgumentException.class,
                () -> initial(SolverConfig.builder().initial(new InitialCondition.FromFile(cube))));
        assertTrue(threeD.getMessage().endsWith("holds an array of shape (2, 2, 2); a grid must be 2-D, shape (ny, nx)"),
                threeD.getMessage());

        Path complex = dir.resolve("complex.npy");
        writeRaw(complex, "{'descr': '<c16', 'fortran_order': False, 'shape': (2, 2), }", 4, 16, ByteOrder.LITTLE_ENDIAN,
                (buf, i) -> buf.putDouble(i).putDouble(0));
        var kind = assertThrows(IllegalArgumentException.class,
                () -> initial(SolverConfig.builder().initial(new InitialCondition.FromFile(complex))));
        assertTrue(kind.getMessage().contains("lacks descr") || kind.getMessage().contains("readable: float64"), kind.getMessage());

        Path truncated = dir.resolve("short.npy");
        byte[] whole = Files.readAllBytes(c);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length - 8));
        var shortFile = assertThrows(IllegalArgumentException.class,
                () -> initial(SolverConfig.builder().initial(new InitialCondition.FromFile(truncated))));
        assertTrue(shortFile.getMessage().contains("is truncated: shape (3, 5) needs 120 bytes of data, the file has 112"),
                shortFile.getMessage());

        var sizeMismatch = assertThrows(IllegalArgumentException.class, () -> initial(SolverConfig.builder()
                .size(new GridSize(8, 8)).initial(new InitialCondition.FromFile(c))));
        assertEquals("size 8x8 disagrees with the initial condition file:" + c + ", which holds a 5x3 grid; without a size"
                + " the run takes the file's", sizeMismatch.getMessage());
        var notNpy = assertThrows(IllegalArgumentException.class, () -> initial(SolverConfig.builder()
                .initial(InitialCondition.parse("file:" + dir.resolve("grid.txt.gz")))));
        assertTrue(notNpy.getMessage().endsWith("does not exist"), notNpy.getMessage());
    }

    interface Writer {
        void put(ByteBuffer buf, int index);
    }

    private static void writeRaw(Path file, String dict, int count, int size, ByteOrder order, Writer values)
            throws IOException {
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + count * size).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes()).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes());
        buf.order(order);
        for (int i = 0; i < count; i++) {
            values.put(buf, i);
        }
        Files.write(file, buf.array());
    }
}
