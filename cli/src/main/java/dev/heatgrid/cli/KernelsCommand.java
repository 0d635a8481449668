package dev.heatgrid.cli;

import dev.heatgrid.solver.KernelCatalog;
import dev.heatgrid.solver.KernelListing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code heatgrid kernels}: what can step a grid, with fields, parameters and stability rules. */
@Command(name = "kernels", description = "List installed kernels with their fields, parameters (type, default,"
        + " range) and stability rule.")
final class KernelsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kernel-jar", paramLabel = "JAR", description = "Also list kernels from this jar (repeatable).")
    List<Path> kernelJars = new ArrayList<>();

    @Override
    public Integer call() {
        for (Path jar : kernelJars) {
            if (!Files.isRegularFile(jar)) {
                throw new UsageException("--kernel-jar: no file " + jar);
            }
        }
        KernelCatalog catalog = kernelJars.isEmpty() ? KernelCatalog.installed() : KernelCatalog.withJars(kernelJars);
        spec.commandLine().getOut().print(KernelListing.format(catalog));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
