package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./heatgrid launcher script, run as a user would (after the jar is packaged): through bash,
 * with stdout and stderr sent to files, to one file, through a pipe and to a terminal.
 */
class LauncherIT {
    private static final Path REPOSITORY = Path.of(System.getProperty("heatgrid.repository", "."));
    private static final Path LAUNCHER = REPOSITORY.resolve("heatgrid");
    private static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    @TempDir
    Path work;

    @TempDir(factory = ShmTempDir.class)
    Path shm;

    @Test
    void findsJdk25EvenWhenJavaHomePointsToAnOlderJdk() throws Exception {
        assumeTrue(Files.isDirectory(JDK17), "no JDK 17 at " + JDK17 + " to point JAVA_HOME at");
        Shell result = bash(Map.of("JAVA_HOME", JDK17.toString()), "\"$HG\" --version");
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("Java 25"), result.toString());
    }

    /**
     * The launcher builds with Maven running on the JDK it found (JDK 25) when JAVA_HOME is unset,
     * while CI's `mvn verify` runs Maven on JDK 17 with the toolchain: a modular jar's descriptor
     * step found JDK 17's jar tool on the PATH there, and `./heatgrid` failed on a fresh machine.
     * Builds the segment module (the first with a module-info) from a copy of the sources that way.
     */
    @Test
    void buildsAModularJarWithMavenRunningOnJdk25() throws Exception {
        assumeTrue(Runtime.version().feature() >= 25, "the tests do not run on JDK 25");
        Path copy = work.resolve("sources");
        List<Path> sources = new ArrayList<>();
        try (var poms = Files.find(REPOSITORY, 2, (p, a) -> p.getFileName().toString().equals("pom.xml"));
             var segment = Files.walk(REPOSITORY.resolve("segment/src/main"))) {
            poms.forEach(sources::add);
            segment.filter(Files::isRegularFile).forEach(sources::add);
        }
        for (Path p : sources) { // the reactor needs every module's pom
            Path to = copy.resolve(REPOSITORY.relativize(p).toString());
            Files.createDirectories(to.getParent());
            Files.copy(p, to);
        }
        Shell result = bash(Map.of("JAVA_HOME", System.getProperty("java.home")),
                "cd sources && mvn -B -q -DskipTests -pl segment package > build.log 2>&1; rc=$?;"
                        + " grep -m 5 ERROR build.log; unzip -l $(ls segment/target/*.jar | grep -v -- -tests.jar) | grep -c module-info.class; exit $rc");
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().strip().endsWith("1"), "no module-info.class in the jar: " + result);
    }

    @Test
    void keepsErrorsOnOneLineWithoutTheIncubatorWarning() throws Exception {
        Shell result = bash("\"$HG\" inspect no-such-segment-$$");
        assertEquals(1, result.code(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), result.toString());
        assertTrue(result.err().startsWith("heatgrid inspect: no segment at "), result.toString());
        assertFalse(result.err().contains("incubator"), result.toString());
    }

    /** Issue 14: the message used to be written at offset 0 of the log, and the shell's next line overwrote it. */
    @Test
    void messagesAndTheShellsOwnLinesShareOneLogFile() throws Exception {
        Shell result = bash("{ \"$HG\" inspect no-such-segment-$$; echo \"rc=$?\"; } > log 2>&1; cat log");
        assertEquals("heatgrid inspect: no segment at /dev/shm/no-such-segment-" + result.pid() + ".hgrid\nrc=1\n",
                result.out(), result.toString());
    }

    @Test
    void stdoutAndStderrInFilesOfTheirOwnAreAppendedToAndKeepTheirOrder() throws Exception {
        Shell result = bash("echo before > out; echo before > err;"
                + " \"$HG\" kernels >> out 2>> err; \"$HG\" inspect nope-$$ >> out 2>> err; echo after >> err;"
                + " cat err");
        assertEquals(0, result.code(), result.toString());
        List<String> err = result.out().lines().toList();
        assertEquals(List.of("before", "heatgrid inspect: no segment at /dev/shm/nope-" + result.pid() + ".hgrid",
                "after"), err, result.toString());
        String out = Files.readString(work.resolve("out"));
        assertTrue(out.startsWith("before\nftcs - "), out);
    }

    @Test
    void throughAPipeAndOnATerminal() throws Exception {
        Shell piped = bash("\"$HG\" inspect nope-$$ 2>&1 | cat");
        assertEquals("heatgrid inspect: no segment at /dev/shm/nope-" + piped.pid() + ".hgrid\n", piped.out(),
                piped.toString());
        Shell terminal = onTerminal(120, "\"$HG\" inspect nope-$$");
        assertTrue(terminal.out().contains("heatgrid inspect: no segment at /dev/shm/nope-"), terminal.toString());
        assertFalse(terminal.out().contains("incubator"), terminal.toString());
    }

    /** Issue 14: `run > log 2>&1` then SIGTERM lost the "stopping" line (the summary overwrote it). */
    @Test
    void sigtermToARunLoggingToOneFileKeepsTheStoppingLineAndTheSummary() throws Exception {
        Path segment = shm.resolve("sigterm.hgrid");
        Shell result = bash("\"$HG\" run " + segment + " --size 64 --threads 1 > log 2>&1 & pid=$!;"
                + " for i in $(seq 600); do grep -q 'heatgrid run: running' log && break; sleep 0.1; done; sleep 0.3;"
                + " kill -TERM $pid; wait $pid; echo \"rc=$?\" >> log; cat log");
        String log = result.out();
        assertTrue(log.contains("heatgrid run: stopping after this step (terminated)"), log);
        assertTrue(log.contains("terminated after "), log);
        assertTrue(log.endsWith("rc=0\n"), log);
        assertFalse(log.contains("incubator"), log);
        assertTrue(log.indexOf("stopping after this step") < log.indexOf("rc=0"), log);
    }

    /** Issue 14: progress went to stdout, so `run > file` on a terminal showed none (and filled the file). */
    @Test
    void progressStaysOnTheTerminalWhenStdoutGoesToAFile() throws Exception {
        Path segment = shm.resolve("progress.hgrid");
        Shell terminal = onTerminal(120, "\"$HG\" run " + segment + " --size 128 --steps 3000 --threads 1 > result.txt");
        String out = Files.readString(work.resolve("result.txt"));
        assertTrue(out.startsWith("steps done after 3000 steps") && out.lines().count() == 1, out);
        assertTrue(terminal.out().contains("heatgrid run: running " + segment), terminal.toString());
        assertTrue(terminal.out().contains("MLUPS"), "no progress bar on the terminal:\n" + terminal);
    }

    @Test
    void helpUsesTheTerminalsWidth() throws Exception {
        Shell wide = onTerminal(160, "\"$HG\" run --help");
        // Colours (picocli uses them on a terminal) take no columns.
        int widest = wide.out().replaceAll("\u001b\\[[0-9;]*m", "").lines().mapToInt(String::length).max().orElse(0);
        assertTrue(widest > 100 && widest <= 160, "widest line " + widest + ":\n" + wide.out());
        Shell piped = bash("\"$HG\" run --help | cat");
        assertTrue(piped.out().lines().allMatch(l -> l.length() <= 80), piped.out());
    }

    record Shell(int code, String out, String err, long pid) {
    }

    private Shell bash(String script) throws IOException, InterruptedException {
        return bash(Map.of(), script);
    }

    /** Runs {@code script} with bash in the work directory, $HG being the launcher; returns bash's pid as $$. */
    private Shell bash(Map<String, String> env, String script) throws IOException, InterruptedException {
        return run(env, List.of("bash", "-c", "echo $$ > pid; " + script));
    }

    /** Runs {@code script} on a pseudo-terminal {@code columns} wide (util-linux script(1)). */
    private Shell onTerminal(int columns, String script) throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is needed for a pseudo-terminal");
        return run(Map.of(), List.of("script", "-qec", "stty cols " + columns + "; echo $$ > pid; " + script,
                "/dev/null"));
    }

    private Shell run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(work.toFile());
        builder.environment().putAll(env);
        builder.environment().put("HG", LAUNCHER.toString());
        Path out = work.resolve("shell.out");
        Path err = work.resolve("shell.err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish: " + Files.readString(out) + Files.readString(err));
        }
        Thread.sleep(100); // a filter may flush just after its JVM exits
        long pid = Files.exists(work.resolve("pid")) ? Long.parseLong(Files.readString(work.resolve("pid")).strip()) : 0;
        return new Shell(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8).replace("\r\n", "\n"),
                Files.readString(err, StandardCharsets.UTF_8), pid);
    }
}
