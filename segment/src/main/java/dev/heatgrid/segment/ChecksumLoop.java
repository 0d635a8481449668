package dev.heatgrid.segment;

import java.lang.foreign.MemorySegment;

/**
 * The inner loop of {@link FrameChecksum}: the contribution of {@code count} cells starting at
 * cell index {@code firstCell}, whose words start at byte 0 of {@code data}. Implementations must
 * return exactly the same value (integer arithmetic, so the order of additions does not matter).
 */
interface ChecksumLoop {
    long partial(MemorySegment data, long firstCell, long count);

    /**
     * The vector loop when the JVM runs with {@code --add-modules jdk.incubator.vector} (C2 does not
     * vectorize a reduction that mixes in the cell index, and the vector loop is ~6x faster on data
     * in cache), else the scalar loop. Loaded reflectively so the incubator classes are never
     * touched in a JVM without the module.
     */
    static ChecksumLoop best() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (ChecksumLoop) Class.forName("dev.heatgrid.segment.VectorChecksumLoop")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall through to the scalar loop
            }
        }
        return new ScalarChecksumLoop();
    }
}
