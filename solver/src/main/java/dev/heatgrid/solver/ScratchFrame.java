package dev.heatgrid.solver;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The solver's private frame between publications, as memory of the same kind as the segment's
 * frames: a mapping of a file in {@code /dev/shm} whose name is removed as soon as it is open (a
 * SIGKILL leaves nothing behind but in the microseconds between the two). Not {@code Arena.allocate}: the kernels' vector loads and stores
 * then see one segment class, mapped, instead of two. With a native scratch frame beside the
 * mapped frames the row loops were compiled for both and ran 1.5-2x slower whenever the scratch
 * frame was in use ({@code --publish-every} &gt; 1, temporal blocking; docs/BENCHMARKS.md).
 */
final class ScratchFrame {
    private static final Path SHM = Path.of("/dev/shm");
    private static final int ZERO_CHUNK = 1 << 20;

    private ScratchFrame() {
    }

    /**
     * {@code fields} zeroed regions of {@code bytes} each, open as long as {@code arena}. Where
     * {@code /dev/shm} is missing or has no room, plain native memory: the same values, slower loops.
     */
    static List<MemorySegment> map(Arena arena, int fields, long bytes) {
        return map(arena, SHM, fields, bytes);
    }

    /** {@link #map(Arena, int, long)} with the file in {@code dir}. */
    static List<MemorySegment> map(Arena arena, Path dir, int fields, long bytes) {
        long size = bytes * fields;
        MemorySegment all;
        try {
            all = mapped(arena, dir, size);
        } catch (IOException e) {
            all = arena.allocate(size, 4096);
        }
        var slices = new ArrayList<MemorySegment>(fields);
        for (int f = 0; f < fields; f++) {
            slices.add(all.asSlice(f * bytes, bytes));
        }
        return List.copyOf(slices);
    }

    private static MemorySegment mapped(Arena arena, Path dir, long size) throws IOException {
        Path file = Files.createTempFile(dir, "heatgrid-scratch-", ".tmp");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.deleteIfExists(file); // the open channel, then the mapping, keep the memory; the name goes now
        }
        try (channel) {
            // Every page written now: a full tmpfs fails here, not with a SIGBUS in the middle of a step.
            ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(ZERO_CHUNK, size));
            for (long position = 0; position < size; ) {
                position += channel.write(zeros.clear().limit((int) Math.min(zeros.capacity(), size - position)), position);
            }
            return channel.map(FileChannel.MapMode.READ_WRITE, 0, size, arena);
        }
    }
}
