package dev.heatgrid.segment;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Child JVM for the creation race: round after round, waits for the test's "go" word, then at once
 * tries to create the segment (the real creation path, as {@code heatgrid run NAME} does), prints
 * {@code ROUND k WON pid} or {@code ROUND k BUSY message}, and a winner stays the writer until the
 * test's "release" word reaches k, then closes and prints {@code CLOSED k}.
 * Args: control-file segment-path rounds. The control file holds two u64: go, release.
 */
public final class RaceCreatorMain {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    public static void main(String[] args) throws Exception {
        MappedByteBuffer control;
        try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ)) {
            control = channel.map(FileChannel.MapMode.READ_ONLY, 0, 16);
        }
        Path path = Path.of(args[1]);
        int rounds = Integer.parseInt(args[2]);
        long pid = ProcessHandle.current().pid();
        for (int k = 1; k <= rounds; k++) {
            awaitAtLeast(control, 0, k);
            SegmentWriter writer = null;
            String line;
            try {
                writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
                line = "ROUND " + k + " WON " + pid;
            } catch (Exception e) {
                line = "ROUND " + k + " BUSY " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            System.out.println(line);
            System.out.flush();
            if (writer != null) {
                awaitAtLeast(control, 8, k);
                writer.close();
                System.out.println("CLOSED " + k);
                System.out.flush();
            }
        }
    }

    private static void awaitAtLeast(MappedByteBuffer control, int offset, long value) {
        for (int spins = 0; (long) LONGS.getVolatile(control, offset) < value; spins++) {
            if (spins > 1000) {
                Thread.yield();
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
