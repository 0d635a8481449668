package dev.heatgrid.segment.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A separate JVM running a main class from the test class path, with its output captured in files
 * (pipes could fill up and stall the child). Tests use it to cross real process boundaries and to
 * SIGKILL writers.
 */
public final class JvmProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private JvmProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The java launcher of the running JVM, so children use the same JDK. */
    public static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    public static JvmProcess start(Class<?> main, String... args) throws IOException {
        return start(List.of(), main, args);
    }

    public static JvmProcess start(List<String> jvmArgs, Class<?> main, String... args) throws IOException {
        return start(List.of(), jvmArgs, main, args);
    }

    /**
     * Starts the child behind a prefix, e.g. {@code sh -c 'umask 077; exec "$0" "$@"'} or
     * {@code setpriv --reuid nobody ...}: the prefix's last word is followed by the java command.
     */
    public static JvmProcess start(List<String> prefix, List<String> jvmArgs, Class<?> main, String... args)
            throws IOException {
        var command = new ArrayList<String>(prefix);
        command.add(javaCommand());
        command.add("--enable-native-access=ALL-UNNAMED");
        String directives = System.getProperty("heatgrid.compiler.directives");
        if (directives != null) { // as the launcher starts every JVM (segment/src/main/jvm/compiler-directives.json)
            command.add("-XX:+UnlockDiagnosticVMOptions");
            command.add("-XX:CompilerDirectivesFile=" + directives);
            command.add("-XX:-DisplayVMOutput"); // no "1 compiler directives added" on stdout
        }
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classPath(main)));
        command.addAll(jvmArgs);
        command.add(main.getName());
        command.addAll(List.of(args));
        Path out = Files.createTempFile("heatgrid-child-", ".out");
        Path err = Files.createTempFile("heatgrid-child-", ".err");
        Process process = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new JvmProcess(process, out, err);
    }

    /**
     * The class path a child needs to run {@code main}: this JVM's class path, and where a module's tests
     * run as that named module (surefire's module path), the module path and the test classes patched
     * into the module, which only {@code main}'s code source names. Children always run on the class
     * path, as the shipped jar does.
     */
    public static List<String> classPath(Class<?> main) {
        var entries = new LinkedHashSet<String>();
        for (String property : List.of("java.class.path", "jdk.module.path")) {
            for (String entry : System.getProperty(property, "").split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    entries.add(entry);
                }
            }
        }
        try {
            entries.add(Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("no class path entry for " + main, e);
        }
        return List.copyOf(entries);
    }

    public long pid() {
        return process.pid();
    }

    /** The pid of a process that has exited and been reaped (a JVM that only printed its version). */
    public static long deadPid() throws IOException, InterruptedException {
        Process child = new ProcessBuilder(javaCommand(), "-version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        child.waitFor();
        return child.pid();
    }

    /** Writes one line to the child's standard input. */
    public void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** Sends a signal by name ({@code STOP}, {@code CONT}, {@code TERM}, {@code INT}) with kill(1). */
    public void signal(String name) throws IOException, InterruptedException {
        signal(pid(), name);
    }

    /** Sends a signal by name to any process, with kill(1). */
    public static void signal(long pid, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + pid + " failed");
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, then reap, so the pid is really gone (not a zombie) when this returns. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the exit code; kills the child and fails if it takes longer than {@code timeout}. */
    public int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new AssertionError("child JVM " + pid() + " did not finish within " + timeout + "\nstdout:\n"
                    + stdout() + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** Waits until the child printed a line starting with {@code prefix}; returns that line. */
    public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            // Asked before the read: a child dead by then has written all it will, so a read after it
            // sees its last line. (Asked after the read, a child that printed its line and exited in
            // between was reported as never printing it: seen in CI, "NOT_POSTED" in the stdout shown.)
            boolean alive = process.isAlive();
            // Complete lines only: the file may end in a line the child is still writing (seen under
            // load: a race test read "ROUND 347 BUSY ... segment /dev/shm/heatgrid-test-680723" cut mid-path).
            String out = stdout();
            for (String line : out.substring(0, out.lastIndexOf('\n') + 1).split("\n")) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (!alive || System.nanoTime() >= deadline) {
                break;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("child JVM " + pid() + " did not print '" + prefix + "' within " + timeout
                + " (alive: " + process.isAlive() + ")\nstdout:\n" + stdout() + "\nstderr:\n" + stderr());
    }

    public String stdout() {
        return read(stdout);
    }

    public String stderr() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "<unreadable: " + e + ">";
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            try {
                signal("CONT"); // a stopped child would not die before it runs again
            } catch (IOException | InterruptedException e) {
                // it is killed below either way
            }
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Files.deleteIfExists(stdout);
        Files.deleteIfExists(stderr);
    }
}
