package dev.heatgrid.viewer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A virtual X display (Xvfb) for the window tests, started once per test JVM. {@code -displayfd}
 * lets the server pick a free display number and tell us which, so builds running side by side never
 * share or fight over one. Where Xvfb is not installed the tests are skipped with a message on
 * stderr (CI installs it: {@code .ci/run}).
 *
 * <p>AWT connects to the display named by the process environment's {@code DISPLAY} when the toolkit
 * starts, and a running JVM cannot change its own environment through Java; so this sets it with
 * libc's {@code setenv}, before the first AWT call. The window tests run in a JVM of their own
 * (the viewer's pom: {@code java.awt.headless=false}) where nothing touched AWT before.
 */
public final class XvfbDisplay implements BeforeAllCallback {
    static final Path XVFB = Path.of("/usr/bin/Xvfb");
    private static final long START_SECONDS = 30;

    private static String display;
    /** Kept (never closed) for the JVM's life: its stdin is the server's lifeline. */
    private static Process server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    /** The display's name, e.g. {@code :99}; starts the server on first use. */
    static synchronized String start() throws IOException, InterruptedException {
        if (display != null) {
            return display;
        }
        // -Dtest=...WindowTest also selects this class in the headless execution: it runs in the other one.
        Assumptions.assumeFalse(Boolean.getBoolean("java.awt.headless"), "a headless JVM: the window tests run in"
                + " the viewer's window-tests execution");
        if (!Files.isExecutable(XVFB)) {
            System.err.println("SKIPPED window tests: " + XVFB + " is not installed (Debian: apt-get install xvfb;"
                    + " .ci/run installs it)");
            Assumptions.abort(XVFB + " is not installed");
        }
        // The server must outlive AWT's connection (killing it first makes AWT exit the JVM with an X I/O
        // error), yet not this JVM: a shell holds it and kills it when our end of its stdin closes, which
        // happens only once this JVM is gone, however it ends.
        Process xvfb = new ProcessBuilder("/bin/sh", "-c", "\"$0\" -displayfd 1 -screen 0 1400x1100x24 -nolisten tcp"
                + " -noreset & read _; kill $!", XVFB.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        var lines = new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.US_ASCII));
        String number;
        try {
            number = CompletableFuture.supplyAsync(() -> {
                try {
                    return lines.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(START_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            number = null;
        }
        if (number == null || !number.strip().matches("\\d+")) {
            xvfb.destroyForcibly();
            throw new IOException("Xvfb did not report a display number within " + START_SECONDS + " s");
        }
        server = xvfb;
        display = ":" + number.strip();
        setDisplayVariable(display);
        return display;
    }

    private static void setDisplayVariable(String value) {
        Linker linker = Linker.nativeLinker();
        MethodHandle setenv = linker.downcallHandle(linker.defaultLookup().find("setenv").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            int result = (int) setenv.invokeExact(arena.allocateFrom("DISPLAY"), arena.allocateFrom(value), 1);
            if (result != 0) {
                throw new IllegalStateException("setenv(DISPLAY) failed");
            }
        } catch (Throwable t) {
            throw new IllegalStateException("cannot point AWT at display " + value + ": " + t, t);
        }
    }
}
