package dev.heatgrid.bench.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running one of this module's mains: the current {@code java} binary, the same class
 * path, native access and the Vector API, so "cross-process" really means two processes. Its
 * stdout is read line by line ({@link #awaitLine}); stderr goes to ours.
 */
final class ChildJvm implements AutoCloseable {
    private static final long EXIT_GRACE_SECONDS = 5;

    private final Process process;
    private final BufferedReader out;

    private ChildJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code mainClass} with {@code args}. */
    static ChildJvm start(Class<?> mainClass, String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> command = new ArrayList<>();
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "--add-modules=jdk.incubator.vector",
                "-Djava.awt.headless=true", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        return new ChildJvm(builder.start());
    }

    /** Reads stdout until a line starting with {@code prefix}; returns it. Fails if the child ends first. */
    String awaitLine(String prefix) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException(process.info().commandLine().orElse("child JVM") + " ended (exit "
                + exitCodeOrUnknown() + ") before printing " + prefix);
    }

    private String exitCodeOrUnknown() {
        try {
            return process.waitFor(EXIT_GRACE_SECONDS, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** Writes one line to the child's stdin (a command for it). */
    void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Closes the child's stdin (its signal to stop) and reads its last words, the line starting with {@code prefix}. */
    String finish(String prefix) throws IOException {
        process.getOutputStream().close();
        return awaitLine(prefix);
    }

    long pid() {
        return process.pid();
    }

    /** Asks the child to end by closing its stdin, then kills it if it has not ended after a grace period. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(EXIT_GRACE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
