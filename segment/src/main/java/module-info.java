/**
 * The shared-memory segment: docs/FORMAT.md in code, the single writer, read-only readers, steering.
 * JDK only. One package, all of it API: every reader and writer, in any module, speaks through it.
 */
module dev.heatgrid.segment {
    // The checksum's vector loop, used only when the JVM is started with --add-modules jdk.incubator.vector
    // (ChecksumLoop looks for the module before it loads the class).
    requires static jdk.incubator.vector;

    exports dev.heatgrid.segment;
}
