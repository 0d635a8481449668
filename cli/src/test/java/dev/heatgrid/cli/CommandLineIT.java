package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.SegmentNames;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command vocabulary of issue 14 through the packaged jar in JVMs of their own: "did you mean",
 * help, an unreachable display, the default and the option for buffers, progress on stderr, and the
 * old spellings that still work with one line of deprecation each.
 */
class CommandLineIT {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void mistypedCommandsAndOptionsGetADidYouMeanAndHelpNamesACommand() throws Exception {
        PackagedCommand.Result command = exec("rn", "plate");
        assertEquals(2, command.code(), command.toString());
        assertEquals("heatgrid: unknown command 'rn'; did you mean 'run'? (see heatgrid --help)\n", command.err());
        PackagedCommand.Result option = exec("run", "plate", "--szie", "64");
        assertEquals(2, option.code(), option.toString());
        assertEquals("heatgrid run: unknown option '--szie'; did you mean '--size'? (see heatgrid run --help)\n",
                option.err());
        PackagedCommand.Result help = exec("help", "run");
        assertEquals(0, help.code(), help.toString());
        assertTrue(help.out().startsWith("Usage: heatgrid run "), help.out());
    }

    /** Issue 14: DISPLAY set to a display no server answers used to end view with a stack trace and demo in failure. */
    @Test
    void anUnreachableDisplayGivesViewOneLineAndDemoItsPictures() throws Exception {
        String display = ":" + freeDisplayNumber();
        Map<String, String> environment = Map.of("DISPLAY", display);
        PackagedCommand.Result view = PackagedCommand.exec(Duration.ofMinutes(2), environment, false,
                List.of("view", dir.resolve("none.hgrid").toString()));
        assertEquals(2, view.code(), view.toString());
        assertEquals("heatgrid view: no display to open a window on (DISPLAY is '" + display + "' but no display server"
                + " answers there); use --out FILE.png for a picture or --every N --out-dir DIR for a time-lapse\n",
                view.err());

        Path png = dir.resolve("demo.png");
        PackagedCommand.Result demo = PackagedCommand.exec(Duration.ofMinutes(3), environment, false, List.of("demo",
                "--size", "32", "--steps", "200", "--out", png.toString(), "--out-dir", dir.resolve("frames").toString()));
        assertEquals(0, demo.code(), demo.toString());
        assertTrue(demo.err().startsWith("heatgrid demo: no window (DISPLAY is '" + display + "' but no display server"
                + " answers there): recording pictures instead\n"), demo.err());
        assertFalse(demo.err().contains("\tat ") || demo.err().contains("Exception"), demo.err());
        assertTrue(Files.size(png) > 1000, demo.toString());
    }

    @Test
    void runMakesThreeBuffersUnlessToldAndReportsProgressOnStderr() throws Exception {
        Path three = dir.resolve("three.hgrid");
        PackagedCommand.Result run = exec("run", three.toString(), "--size", "32", "--steps", "20", "--keep");
        assertEquals(0, run.code(), run.toString());
        assertTrue(run.out().startsWith("steps done after 20 steps: step 20") && run.out().lines().count() == 1,
                "stdout holds only the result: " + run.out());
        assertTrue(run.err().startsWith("heatgrid run: running " + three + ": 32 x 32 (dx 1, dy 1), kernel ftcs, dt 0.2,"),
                run.err());
        assertTrue(run.err().contains(", 3 buffers, "), run.err());
        assertEquals(3, inspect(three).get("buffers").asInt());

        Path five = dir.resolve("five.hgrid");
        PackagedCommand.Result quiet = exec("run", five.toString(), "--size", "32", "--steps", "1", "--keep",
                "--buffers", "5", "--quiet");
        assertEquals(0, quiet.code(), quiet.toString());
        assertEquals("", quiet.err(), "--quiet: no progress");
        assertEquals(5, inspect(five).get("buffers").asInt());
    }

    /** Every renamed option still works, announced by one line on stderr. */
    @Test
    void oldSpellingsStillWorkWithOneDeprecationLineEach() throws Exception {
        // A bare name with the extension is the same segment (issue 14: it used to become plate.hgrid.hgrid).
        String name = "cli-it-" + ProcessHandle.current().pid() + SegmentNames.EXTENSION;
        Path segment = SegmentNames.defaultDirectory().resolve(name);
        try {
            PackagedCommand.Result run = exec("run", name, "--size", "24", "--steps", "10", "--keep", "--quiet");
            assertEquals(0, run.code(), run.toString());
            assertTrue(Files.exists(segment), "not created at " + segment);
            assertEquals(10, inspect(Path.of(name)).get("step").asInt());

            Path png = dir.resolve("old.png");
            PackagedCommand.Result picture = exec("view", name, "--png", png.toString(), "--wait", "5s");
            assertEquals(0, picture.code(), picture.toString());
            assertTrue(Files.size(png) > 1000);
            assertEquals(List.of(
                    "heatgrid view: --png is deprecated; use --out FILE (the old spelling still works for now)",
                    "heatgrid view: --wait is deprecated; use --timeout DURATION (the old spelling still works for now)"),
                    picture.err().lines().toList());

            Path folder = dir.resolve("lapse");
            PackagedCommand.Result lapse = exec("view", name, "--every", "1", "--out", folder.toString(), "--frames", "1");
            assertEquals(0, lapse.code(), lapse.toString());
            assertTrue(lapse.err().startsWith("heatgrid view: --out DIR with --every is deprecated; use --out-dir DIR"),
                    lapse.err());
            assertTrue(lapse.out().startsWith("time-lapse: 1 picture(s) in " + folder), lapse.out());

            PackagedCommand.Result interval = exec("view", name, "--every", "300ms", "--out-dir",
                    dir.resolve("lapse2").toString(), "--frames", "1", "--quiet");
            assertEquals(0, interval.code(), interval.toString());
            assertEquals("heatgrid view: --every DURATION is deprecated; use --interval DURATION (the old spelling"
                    + " still works for now)\n", interval.err());

            Path demoPng = dir.resolve("old-demo.png");
            PackagedCommand.Result demo = exec("demo", "--size", "32", "--steps", "50", "--png", demoPng.toString(),
                    "--frames", dir.resolve("old-frames").toString(), "--headless", "--quiet");
            assertEquals(0, demo.code(), demo.toString());
            assertEquals(List.of(
                    "heatgrid demo: --png is deprecated; use --out FILE (the old spelling still works for now)",
                    "heatgrid demo: --frames is deprecated; use --out-dir DIR (--frames is always a count) (the old"
                            + " spelling still works for now)"), demo.err().lines().toList());
            assertTrue(Files.size(demoPng) > 1000);
        } finally {
            Files.deleteIfExists(segment);
        }
    }

    /**
     * A JVM started by heatgrid with heatgrid's own JVM arguments (tile processes) inherits the
     * launcher's stderr property but not its fd 3: it must keep its own stderr, whatever file the JVM
     * itself opened as fd 3.
     */
    @Test
    void aChildJvmWithTheLaunchersPropertyKeepsItsOwnStderr() throws Exception {
        var command = new java.util.ArrayList<>(PackagedCommand.command(List.of("inspect", "nope-" + ProcessHandle
                .current().pid())));
        command.add(1, "-D" + StandardStreams.LAUNCHER_STDERR_PROPERTY + "=3:" + ProcessHandle.current().pid());
        Path err = dir.resolve("child.err");
        Process child = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(ProcessBuilder.Redirect
                .DISCARD).start();
        assertEquals(1, child.waitFor(), Files.readString(err));
        assertTrue(Files.readString(err).contains("heatgrid inspect: no segment at "), Files.readString(err));
    }

    /** The completion script installs where bash-completion finds it, and offers the segments that exist. */
    @Test
    void completionInstallsForBashAndOffersTheSegmentsInTheSegmentDirectory() throws Exception {
        Path data = dir.resolve("xdg-data");
        PackagedCommand.Result install = PackagedCommand.exec(Duration.ofMinutes(2), Map.of("XDG_DATA_HOME",
                data.toString()), true, List.of("generate-completion", "--install"));
        assertEquals(0, install.code(), install.toString());
        Path script = data.resolve("bash-completion/completions/heatgrid");
        assertTrue(install.out().startsWith("wrote " + script + ": new bash shells complete heatgrid"), install.out());
        String name = "cli-it-completion-" + ProcessHandle.current().pid();
        Path segment = SegmentNames.defaultDirectory().resolve(name + SegmentNames.EXTENSION);
        try {
            PackagedCommand.Result run = exec("run", name, "--size", "16", "--steps", "1", "--keep", "--quiet");
            assertEquals(0, run.code(), run.toString());
            for (String command : List.of("record", "serve", "inspect")) {
                List<String> offered = CommandLineUsageTest.completions(script, "heatgrid " + command + " "
                        + name.substring(0, name.length() - 3));
                assertTrue(offered.contains(name), command + ": " + offered);
            }
            assertTrue(CommandLineUsageTest.completions(script, "heatgrid rec").contains("record"));
        } finally {
            Files.deleteIfExists(segment);
        }
    }

    private JsonNode inspect(Path segment) throws IOException, InterruptedException {
        PackagedCommand.Result inspect = exec("inspect", segment.toString(), "--json");
        assertEquals(0, inspect.code(), inspect.toString());
        return new ObjectMapper().readTree(inspect.out());
    }

    /** An X display number nobody serves: no socket and no lock file (Xvfb -displayfd picks from the low ones). */
    private static int freeDisplayNumber() {
        for (int n = 99; n < 1000; n++) {
            if (!Files.exists(Path.of("/tmp/.X11-unix/X" + n)) && !Files.exists(Path.of("/tmp/.X" + n + "-lock"))) {
                return n;
            }
        }
        throw new AssertionError("no free X display number");
    }

    private static PackagedCommand.Result exec(String... args) throws IOException, InterruptedException {
        return PackagedCommand.exec(Duration.ofMinutes(2), List.of(args));
    }
}
