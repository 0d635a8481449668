package dev.heatgrid.solver.kernels;

/**
 * Whether vector loops may be used: the JVM must have been started with
 * {@code --add-modules jdk.incubator.vector}, and the system property {@code heatgrid.vector}
 * must not be {@code false}.
 */
public final class VectorSupport {
    private VectorSupport() {
    }

    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty("heatgrid.vector"))
                && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }
}
