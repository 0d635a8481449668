package dev.heatgrid.examples.paraview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ParaView's own Python, {@code pvpython}, running paraview_read.py (beside this class): what ParaView
 * shows of a file through a given reader, as JSON. Tests that need it are skipped, saying what is
 * missing, where ParaView is not installed.
 */
final class ParaView {
    private static final String INSTALL = "Debian: apt-get install paraview python3-paraview; .ci/run installs them";

    private ParaView() {
    }

    /** pvpython from the PATH, else /usr/bin; the calling test is skipped, saying so, if there is none. */
    static Path pvpython() {
        var dirs = new ArrayList<String>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/bin");
        for (String dir : dirs) {
            Path candidate = dir.isEmpty() ? null : Path.of(dir, "pvpython");
            if (candidate != null && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String why = "SKIPPED ParaView test: no pvpython on the PATH or in /usr/bin (" + INSTALL + ")";
        System.err.println(why);
        assumeTrue(false, why);
        return null;
    }

    /**
     * Opens each file with its reader in one pvpython process (no display, no MPI, no user settings)
     * and returns the script's report: per reader the reader ParaView picks for the file by itself,
     * the time steps, the arrays, and per time step the dataset with every cell value.
     *
     * @param readerFilePairs reader XML name, file, reader, file, ...
     */
    static JsonNode read(Path pvpython, Path workDir, String... readerFilePairs) throws Exception {
        Path script = Path.of(ParaView.class.getResource("paraview_read.py").toURI());
        Path report = workDir.resolve("paraview.json");
        Path log = workDir.resolve("pvpython.log");
        var command = new ArrayList<>(List.of(pvpython.toString(), "--no-mpi", "--disable-registry",
                "--force-offscreen-rendering", script.toString(), report.toString()));
        command.addAll(List.of(readerFilePairs));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = process.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished, "pvpython did not finish within 120 s: " + Files.readString(log));
        assertEquals(0, process.exitValue(), "pvpython failed: " + Files.readString(log));
        return new ObjectMapper().readTree(report.toFile());
    }
}
