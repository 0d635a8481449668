package dev.heatgrid.solver;

import dev.heatgrid.segment.SegmentDescriptor;
import dev.heatgrid.solver.spi.Kernel;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.zip.ZipFile;

/**
 * The kernels this process can run: the built-in ones and any found with {@link ServiceLoader} on
 * the class path or in extra jars ({@code --kernel-jar}). Names are unique.
 */
public final class KernelCatalog {
    private final Map<String, Kernel> kernels;

    private KernelCatalog(Map<String, Kernel> kernels) {
        this.kernels = Collections.unmodifiableMap(kernels);
    }

    /** The kernels on the class path (the built-ins and any plug-in jar already on it). */
    public static KernelCatalog installed() {
        return load(ServiceLoader.load(Kernel.class, KernelCatalog.class.getClassLoader()), "the class path");
    }

    /**
     * The installed kernels plus those in {@code jars}, loaded in a class loader of their own
     * (the jars may use the solver and segment APIs).
     *
     * @throws IllegalArgumentException if a jar is missing, not a jar, declares no kernel, or
     *                                  declares one that cannot be loaded
     */
    public static KernelCatalog withJars(List<Path> jars) {
        if (jars.isEmpty()) {
            return installed();
        }
        var urls = new ArrayList<URL>();
        for (Path jar : jars) {
            checkJar(jar);
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("kernel jar " + jar + ": " + e.getMessage());
            }
        }
        // Never closed: the kernels' classes stay in use as long as the catalog is reachable.
        var loader = new URLClassLoader("heatgrid-kernels", urls.toArray(URL[]::new), KernelCatalog.class.getClassLoader());
        return load(ServiceLoader.load(Kernel.class, loader), String.join(", ", jars.stream().map(Path::toString).toList()));
    }

    /** The installed kernels plus {@code extra}: for a program that embeds the solver with kernels of its own. */
    public static KernelCatalog installedWith(List<Kernel> extra) {
        var all = new LinkedHashMap<>(installed().kernels);
        for (Kernel k : extra) {
            if (all.putIfAbsent(k.name(), k) != null) {
                throw new IllegalArgumentException("two kernels are named '" + k.name() + "'; rename one");
            }
        }
        return new KernelCatalog(all);
    }

    private static void checkJar(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("kernel jar " + jar + " does not exist or is not a file");
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            var services = zip.getEntry("META-INF/services/" + Kernel.class.getName());
            if (services == null) {
                throw new IllegalArgumentException("kernel jar " + jar + " declares no kernel: it has no META-INF/services/"
                        + Kernel.class.getName() + " listing its kernel classes");
            }
            String listed = new String(zip.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8);
            if (listed.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"))) {
                throw new IllegalArgumentException("kernel jar " + jar + ": META-INF/services/" + Kernel.class.getName()
                        + " lists no class");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("kernel jar " + jar + " cannot be read as a jar: " + e.getMessage());
        }
    }

    private static KernelCatalog load(ServiceLoader<Kernel> loader, String where) {
        var found = new LinkedHashMap<String, Kernel>();
        try {
            for (Kernel k : loader) {
                String name = k.name();
                if (name == null || name.isBlank()
                        || name.getBytes(StandardCharsets.UTF_8).length >= SegmentDescriptor.KERNEL_NAME_CAPACITY) {
                    throw new IllegalArgumentException("kernel class " + k.getClass().getName() + " has name '" + name
                            + "'; a kernel name must be 1.." + (SegmentDescriptor.KERNEL_NAME_CAPACITY - 1) + " bytes");
                }
                Kernel other = found.putIfAbsent(name, k);
                if (other != null && other.getClass() != k.getClass()) {
                    throw new IllegalArgumentException("two kernels are named '" + name + "': " + other.getClass().getName()
                            + " and " + k.getClass().getName() + "; rename one");
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException("a kernel in " + where + " cannot be loaded: " + e.getMessage()
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
        }
        return new KernelCatalog(found);
    }

    /** Every kernel, in discovery order (the built-ins first). */
    public List<Kernel> kernels() {
        return List.copyOf(kernels.values());
    }

    public List<String> names() {
        return List.copyOf(kernels.keySet());
    }

    /** The kernel called {@code name}; the message lists the installed ones if there is none. */
    public Kernel find(String name) {
        Kernel k = kernels.get(name);
        if (k == null) {
            throw new SetupException(SetupException.Setting.KERNEL, "unknown kernel '" + name + "'; installed: "
                    + String.join(", ", kernels.keySet()) + " (plug-in kernels load from their jars)");
        }
        return k;
    }
}
