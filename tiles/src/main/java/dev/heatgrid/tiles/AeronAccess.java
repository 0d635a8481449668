package dev.heatgrid.tiles;

/**
 * What the JVM must allow Aeron before it carries a halo: its buffers (Agrona) use
 * {@code jdk.internal.misc.Unsafe}, which java.base exports only when asked. {@code java -jar
 * heatgrid.jar} asks in the jar's manifest (Add-Exports) and the launcher asks for its tile JVMs,
 * but {@code java -cp} (e.g. with a plug-in jar on the class path) does not read the manifest, and
 * Agrona would fail with an IllegalAccessError deep inside the first buffer it makes.
 */
final class AeronAccess {
    private AeronAccess() {
    }

    /** Throws, naming the java option to add, unless java.base exports jdk.internal.misc to Agrona. */
    static void require() {
        // getModule() does not initialize the class: nothing of Agrona runs before the check.
        Module agrona = org.agrona.concurrent.UnsafeBuffer.class.getModule();
        if (!Object.class.getModule().isExported("jdk.internal.misc", agrona)) {
            String to = agrona.isNamed() ? agrona.getName() : "ALL-UNNAMED";
            throw new IllegalStateException("Aeron, which carries the tiles' messages, needs java.base's jdk.internal.misc:"
                    + " start java with --add-exports=java.base/jdk.internal.misc=" + to + " (java -jar heatgrid.jar"
                    + " takes it from the jar's manifest, java -cp does not)");
        }
    }
}
