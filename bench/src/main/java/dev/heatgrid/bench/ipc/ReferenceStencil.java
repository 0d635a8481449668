package dev.heatgrid.bench.ipc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The C yardstick: the project's reference stencil ({@code resources/dev/heatgrid/bench/reference},
 * the same {@code stencil.c} as the shared reference's {@code compare.sh}): the explicit 5-point step,
 * gcc -O3 -march=native, OpenMP over rows, both buffers in one MAP_SHARED /dev/shm mapping. Built
 * once per source version into the temporary directory; absent when there is no gcc.
 */
final class ReferenceStencil {
    private static final List<String> SOURCES = List.of("stencil.c", "common.h");
    private static final long COMPILE_SECONDS = 120;
    private static final long RUN_SECONDS = 300;

    private final Path binary;

    private ReferenceStencil(Path binary) {
        this.binary = binary;
    }

    /** The compiled reference, or empty with the reason in {@code why} when gcc is missing or fails. */
    static Optional<ReferenceStencil> build(StringBuilder why) throws IOException, InterruptedException {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "heatgrid-reference-" + sourceHash());
        Path binary = dir.resolve("stencil");
        if (Files.isExecutable(binary)) {
            return Optional.of(new ReferenceStencil(binary));
        }
        Files.createDirectories(dir);
        for (String name : SOURCES) {
            try (InputStream in = ReferenceStencil.class.getResourceAsStream("/dev/heatgrid/bench/reference/" + name)) {
                Files.copy(in, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path partial = dir.resolve("stencil.partial");
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-O3", "-march=native", "-fopenmp", "-o", partial.toString(),
                    dir.resolve("stencil.c").toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            why.append("no gcc on the PATH, so the C reference was not built and solver-vs-C ratios were not measured");
            return Optional.empty();
        }
        String output = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!gcc.waitFor(COMPILE_SECONDS, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
            gcc.destroyForcibly();
            why.append("gcc could not build the C reference (solver-vs-C ratios not measured): ").append(output.strip());
            return Optional.empty();
        }
        Files.move(partial, binary, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return Optional.of(new ReferenceStencil(binary));
    }

    /**
     * MLUPS of the shared-mapping variant on an n x n grid, by thread count (1 and 2): the C program
     * sizes its own trials (~0.25 s) and keeps the best of three.
     */
    Map<Integer, Double> mlups(int n) throws IOException, InterruptedException {
        Process run = new ProcessBuilder(binary.toString(), Integer.toString(n))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!run.waitFor(RUN_SECONDS, TimeUnit.SECONDS) || run.exitValue() != 0) {
            run.destroyForcibly();
            throw new IOException("the C reference failed on " + n + "^2: " + output.strip());
        }
        var byThreads = new TreeMap<Integer, Double>();
        String prefix = String.format(Locale.ROOT, "stencil_shm_%dx%d_", n, n);
        for (String line : output.lines().toList()) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].startsWith(prefix) && words[0].endsWith("t")) {
                int threads = Integer.parseInt(words[0].substring(prefix.length(), words[0].length() - 1));
                byThreads.put(threads, Double.parseDouble(words[1]));
            }
        }
        return byThreads;
    }

    private static String sourceHash() throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String name : SOURCES) {
                try (InputStream in = ReferenceStencil.class.getResourceAsStream("/dev/heatgrid/bench/reference/" + name)) {
                    digest.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
