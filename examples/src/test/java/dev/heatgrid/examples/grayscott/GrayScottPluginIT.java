package dev.heatgrid.examples.grayscott;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gray-Scott plug-in jar, loaded by the packaged heatgrid command in its own JVM exactly as a
 * user loads it ({@code run --kernel-jar JAR --kernel gray-scott}), grows a pattern that
 * {@code inspect} and {@code snapshot --field v} see. The jar holds the kernel and nothing else.
 */
class GrayScottPluginIT {
    private static final Path HEATGRID = Path.of(System.getProperty("heatgrid.jar", "../cli/target/heatgrid.jar"));
    private static final Path PLUGIN = Path.of(System.getProperty("heatgrid.gray-scott.jar",
            "target/heatgrid-examples-gray-scott.jar"));
    private static final int SIDE = 128;
    private static final String STEPS = "6000";

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private record Result(int code, String out, String err) {
    }

    @Test
    void thePluginJarHoldsOnlyTheGrayScottKernel() throws IOException {
        try (JarFile jar = new JarFile(PLUGIN.toFile())) {
            List<String> classes = Collections.list(jar.entries()).stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".class")).toList();
            assertTrue(!classes.isEmpty() && classes.stream().allMatch(n -> n.startsWith("dev/heatgrid/examples/grayscott/")),
                    classes.toString());
            String services = new String(jar.getInputStream(jar.getEntry("META-INF/services/dev.heatgrid.solver.spi.Kernel"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(GrayScottKernel.class.getName(), services.strip());
        }
    }

    @Test
    void theCommandLoadsThePluginAndGrowsAPattern() throws Exception {
        Path segment = dir.resolve("spots.hgrid");
        Result unknown = heatgrid("run", segment.toString(), "--kernel", "gray-scott", "--steps", "1");
        assertEquals(2, unknown.code(), "without --kernel-jar there is no gray-scott kernel: " + unknown);
        assertTrue(unknown.err().contains("unknown kernel 'gray-scott'"), unknown.err());

        Result badFeed = heatgrid("run", segment.toString(), "--kernel-jar", PLUGIN.toString(), "--kernel", "gray-scott",
                "--boundary", "periodic", "--param", "feed=0.5", "--steps", "1");
        assertEquals(2, badFeed.code(), badFeed.toString());
        assertTrue(badFeed.err().contains("parameter 'feed' is 0.5; allowed a real in [0, 0.1]"), badFeed.err());

        Result run = heatgrid("run", segment.toString(), "--kernel-jar", PLUGIN.toString(), "--kernel", "gray-scott",
                "--size", SIDE + "x" + SIDE, "--boundary", "periodic", "--steps", STEPS, "--keep", "--quiet");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().contains("steps done after " + STEPS + " steps"), run.out());

        Result inspect = heatgrid("inspect", segment.toString(), "--json", "--verify");
        assertEquals(0, inspect.code(), inspect.toString());
        JsonNode json = new ObjectMapper().readTree(inspect.out());
        assertEquals("gray-scott", json.get("kernel").asText());
        assertEquals("[\"u\",\"v\"]", json.get("fields").toString());
        assertEquals(Long.parseLong(STEPS), json.get("step").asLong());
        JsonNode v = json.get("stats").get(1);
        assertTrue(v.get("min").asDouble() >= 0 && v.get("max").asDouble() <= 1, v.toString());

        Path npy = dir.resolve("v.npy");
        Result snapshot = heatgrid("snapshot", segment.toString(), "--field", "v", "--out", npy.toString());
        assertEquals(0, snapshot.code(), snapshot.toString());
        double[] cells = readNpy(npy);
        assertEquals(SIDE * SIDE, cells.length);
        long spots = 0;
        double sum = 0;
        for (double c : cells) {
            spots += c > 0.1 ? 1 : 0;
            sum += c;
        }
        double mean = sum / cells.length;
        double variance = 0;
        for (double c : cells) {
            variance += (c - mean) * (c - mean) / cells.length;
        }
        // The seed is a disc of radius SIDE/8 (about 5% of the grid); a pattern spreads well beyond it.
        long seed = Math.round(Math.PI * (SIDE / 8.0) * (SIDE / 8.0));
        System.out.printf("gray-scott plug-in via the command, %dx%d, %s steps: v > 0.1 on %d cells (seed %d), variance"
                + " %.4f, v in [%.4f, %.4f]%n", SIDE, SIDE, STEPS, spots, seed, variance, v.get("min").asDouble(),
                v.get("max").asDouble());
        assertTrue(spots > 3 * seed, "the pattern did not spread: " + spots + " cells of v > 0.1");
        assertTrue(variance > 1e-3, "v is nearly uniform: variance " + variance);
        assertEquals(mean, v.get("mean").asDouble(), 1e-12);
    }

    private Result heatgrid(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of(JvmProcess.javaCommand(), "--enable-native-access=ALL-UNNAMED",
                "--add-modules=jdk.incubator.vector", "-Djava.awt.headless=true", "-jar", HEATGRID.toString()));
        command.addAll(List.of(args));
        // Output goes to files: two pipes read one after the other could fill up and stall the child.
        Path out = Files.createTempFile(dir, "heatgrid-", ".out");
        Path err = Files.createTempFile(dir, "heatgrid-", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("heatgrid " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static double[] readNpy(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = Short.toUnsignedInt(bytes.getShort(8));
        bytes.position(10 + headerLength);
        double[] values = new double[bytes.remaining() / 8];
        bytes.asDoubleBuffer().get(values);
        return values;
    }
}
