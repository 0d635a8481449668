package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The ./heatgrid launcher script, run as a user would (after the jar is packaged). */
class LauncherIT {
    private static final Path REPOSITORY = Path.of(System.getProperty("heatgrid.repository", "."));
    private static final Path JDK17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");

    @Test
    void findsJdk25EvenWhenJavaHomePointsToAnOlderJdk() throws Exception {
        assumeTrue(Files.isDirectory(JDK17), "no JDK 17 at " + JDK17 + " to point JAVA_HOME at");
        Result result = launch(JDK17.toString(), "--version");
        assertEquals(0, result.code(), result.toString());
        assertTrue(result.out().contains("Java 25"), result.toString());
    }

    @Test
    void keepsErrorsOnOneLineWithoutTheIncubatorWarning() throws Exception {
        Result result = launch(null, "inspect", "no-such-segment-" + ProcessHandle.current().pid());
        assertEquals(1, result.code(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), result.toString());
        assertTrue(result.err().startsWith("heatgrid inspect: no segment at "), result.toString());
        assertFalse(result.err().contains("incubator"), result.toString());
    }

    private record Result(int code, String out, String err) {
    }

    private static Result launch(String javaHome, String... args) throws IOException, InterruptedException {
        var command = new java.util.ArrayList<String>();
        command.add(REPOSITORY.resolve("heatgrid").toString());
        command.addAll(java.util.List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (javaHome != null) {
            builder.environment().put("JAVA_HOME", javaHome);
        }
        Path err = Files.createTempFile("launcher", ".err");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        Thread.sleep(100); // the launcher's stderr filter may flush just after the JVM exits
        String errText = Files.readString(err);
        Files.delete(err);
        return new Result(code, out, errText);
    }
}
