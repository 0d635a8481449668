package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.SegmentNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Help for every command; bad flags and values exit 2 with one line naming what is wrong. */
class CommandLineUsageTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "run", "gather", "view", "serve", "inspect", "snapshot", "record", "steer", "kernels", "clean", "demo", "bench",
        "generate-completion"})
    void everyCommandHasHelpAndVersion(String command) {
        String[] help = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
        CommandRun run = CommandRun.of(help);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("Usage: heatgrid" + (command.isEmpty() ? "" : " " + command)), run.out());
        // Every value has a label that says what it is (DURATION, N, FILE), never picocli's <fieldName>.
        assertFalse(run.out().matches("(?s).*<[a-zA-Z]+>.*"), run.out());
        String[] version = command.isEmpty() ? new String[] {"--version"} : new String[] {command, "--version"};
        CommandRun v = CommandRun.of(version);
        assertEquals(0, v.exitCode(), v.toString());
        assertTrue(v.out().startsWith("heatgrid "), v.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bogus | unknown command 'bogus'; the commands are run, gather, view, serve, inspect, snapshot, record, steer",
        "rn | unknown command 'rn'; did you mean 'run'?",
        "inspekt x | unknown command 'inspekt'; did you mean 'inspect'?",
        "run x --szie 64 | unknown option '--szie'; did you mean '--size'?",
        "view x --colr viridis | unknown option '--colr'; did you mean '--colormap'?",
        "steer x stop --timout 1s | unknown option '--timout'; did you mean '--timeout'?",
        "serv x | unknown command 'serv'; did you mean 'serve'?",
        "recrod x | unknown command 'recrod'; did you mean 'record'?",
        "serve x --prot 0 | unknown option '--prot'; did you mean '--port'?",
        "record x --out r.h5 --evry 2 | unknown option '--evry'; did you mean '--every'?",
        "record x --out r.vtk | --out: 'r.vtk' ends in .vtk; the format follows the extension and this command writes"
            + " .h5, .hdf5, .pvd",
        "record x --out /no/such/dir/r.pvd | --out: directory /no/such/dir does not exist",
        "record /tmp --out r.pvd | /tmp is a directory, not a segment",
        "inspect /tmp | /tmp is a directory, not a segment",
        "inspect | Missing required parameter: 'SEGMENT'",
        "inspect x --frobnicate | unknown option '--frobnicate'",
        "snapshot x | Missing required option: '--out=FILE'",
        "snapshot x --out a.txt | --out: 'a.txt' ends in .txt; the format follows the extension and this command"
            + " writes .png, .csv, .npy, .vti",
        "snapshot x --out frame | --out: 'frame' has no extension",
        "snapshot x --out /no/such/dir/a.npy | --out: directory /no/such/dir does not exist",
        "steer x dance | unknown action 'dance'",
        "steer x set | set needs KEY=VALUE",
        "steer x set alpha | set: 'alpha' is not KEY=VALUE",
        "steer x set alpha=hot | set alpha: 'hot' is not a finite number",
        "steer x set heater=1,1,4,4,50 | set: heater is not steerable (a run sets it once, with --heater",
        "steer x heat 1,2,3 | heat: '1,2,3' is not X,Y,RADIUS,TEMP",
        "steer x pause now | pause takes no argument, got 'now'",
        "steer x pause --timeout 5 | '5' is not a duration",
        "clean /no/such/dir | '/no/such/dir' is not a directory",
        "run x --size 512y512 | Invalid value for option '--size'",
        "run x --size 2x2 | Invalid value for option '--size'",
        "run x --kernel nope | unknown kernel 'nope'; installed: ftcs, adi, spectral",
        "run x --param alpha | parameter 'alpha' is not KEY=VALUE",
        "run x --param beta=1 | beta",
        "run x --alpha 0.5 --param alpha=0.7 | --alpha 0.5 and --param alpha=0.7 both set alpha; give it once",
        "run x --param alpha=1 --param alpha=2 | --param alpha=1 and --param alpha=2 both set alpha",
        "run x --dt 0.1 --param dt=0.2 | --dt 0.1 and --param dt=0.2 both set dt",
        "run x --heater 1,1,2,2,5 --param heater=1,1,3,3,5 | both set heater",
        "run x --alpha -1 | alpha",
        "run x --dt soon | Invalid value for option '--dt'",
        "run x --boundary north=hot | Invalid value for option '--boundary'",
        "run x --init sine:1 | Invalid value for option '--init'",
        "run x --heater 1,2,3 | Invalid value for option '--heater'",
        "run x --threads 0 | threads is 0",
        "run x --buffers 1 | buffers is 1; allowed 2..16",
        "run x --publish-every 0 | publish-every is 0",
        "run x --steps -5 | steps is -5",
        "run x --duration forever | Invalid value for option '--duration'",
        "run x --spacing wide | --spacing: 'wide' is not DX or DX,DY",
        "run x --kernel-jar /no/such.jar | --kernel-jar: no file /no/such.jar",
        "run x --group no-such-group-xyz | --group: no group 'no-such-group-xyz' on this system",
        "kernels --kernel-jar /no/such.jar | --kernel-jar: no file /no/such.jar",
        "demo --size 3 | --size is 3x3; sides allowed 16..4096",
        "demo --size 64x8 | --size is 64x8; sides allowed 16..4096",
        "demo --out demo.jpg | --out: 'demo.jpg' ends in .jpg",
        "demo --buffers 17 | buffers is 17; allowed 2..16",
        "bench --out figures.txt | --out: 'figures.txt' ends in .txt",
        "view x --colormap rainbow | Invalid value for option '--colormap': unknown colour map 'rainbow'; allowed: inferno",
        "view x --range 5:1 | Invalid value for option '--range': range '5:1': expected MIN:MAX",
        "view x --reduce median | Invalid value for option '--reduce'",
        "view x --fps 0 | Invalid value for option '--fps': frame rate",
        "view x --out a.png --every 5 --out-dir d | choose one",
        "view x --every 5 | --every needs --out-dir DIR",
        "view x --interval 2s | --interval needs --out-dir DIR",
        "view x --out-dir d | --out-dir needs --every N (generations) or --interval DURATION",
        "view x --every 5 --interval 2s --out-dir d | --every counts generations and --interval is a time: give one",
        "view x --out x.jpg | --out: 'x.jpg' ends in .jpg; the format follows the extension and this command writes .png",
        "view x --frames 5 | --frames counts time-lapse pictures",
        "view x --interval soon --out-dir d | Invalid value for option '--interval'",
        "view x --every sometimes --out-dir d | Invalid value for option '--every'",
        "view x --image-size huge | Invalid value for option '--image-size'",
        "view x | no display to open a window on",
        "serve x --port 70000 | --port is 70000; allowed 0 (a free port) to 65535",
        "serve x --port http | Invalid value for option '--port'",
        "serve x --fps 0 | Invalid value for option '--fps': frame rate",
        "serve x --colormap rainbow | Invalid value for option '--colormap': unknown colour map 'rainbow'",
        "serve x --image-size huge | Invalid value for option '--image-size'",
        "serve x --timeout soon | 'soon' is not a duration",
        "run x --tiles 2 | tiles '2' is not PXxPY",
        "run x --tiles 2x1 --rank 0 --peers nohost | --peers: 'nohost' is not HOST:PORT (port 1..65535)",
        "run x --tiles 2x1 --rank 0 --peers a:1,a:1 | --peers: a:1 is listed twice",
        "run x --tiles 2x1 --rank 0 --peers a:1,b:2,c:3 | the peer list names 3 processes but tiles 2x1 has 2 tiles",
        "run x --tiles 2x1 --rank 0 --peers a:1 | the peer list names 1 process but tiles 2x1 has 2 tiles",
        "run x --tiles 2x1 --rank 2 --peers a:1,b:2 | rank 2 is outside 2x1 tiles: allowed 0..1",
        "gather x --peers a:70000 | --peers: 'a:70000' is not HOST:PORT (port 1..65535)",
    })
    void usageErrorsExitTwoWithOneLine(String args, String expected) {
        CommandRun run = CommandRun.of(args.trim().split(" +"));
        assertEquals(CommandFailureHandler.USAGE, run.exitCode(), run.toString());
        assertTrue(run.err().contains(expected), run.toString());
        assertEquals(1, run.err().strip().lines().count(), "not one line:\n" + run.err());
        assertTrue(!run.err().contains("\tat "), "stack trace without --verbose:\n" + run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "snapshot"})
    void aMissingSegmentIsARuntimeFailureNamingIt(String command) {
        String[] args = command.equals("snapshot") ? new String[] {command, "no-such-segment", "--out", "x.npy"}
                : new String[] {command, "no-such-segment"};
        CommandRun run = CommandRun.of(args);
        assertEquals(CommandFailureHandler.RUNTIME, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no segment at ") && run.err().contains("no-such-segment.hgrid"), run.toString());
    }

    /** A segment missing beside the picture is the segment's problem, not the picture's directory's. */
    @org.junit.jupiter.api.Test
    void aMissingSegmentBesideTheOutputIsNotBlamedOnTheOutput(@TempDir Path dir) {
        Path segment = dir.resolve("missing.hgrid");
        Path png = dir.resolve("x.png");
        CommandRun run = CommandRun.of("view", segment.toString(), "--out", png.toString(), "--timeout", "1s");
        assertEquals(CommandFailureHandler.RUNTIME, run.exitCode(), run.toString());
        assertTrue(run.err().contains("no segment at " + segment), run.toString());
        assertFalse(run.err().contains("cannot write"), run.toString());
    }

    @org.junit.jupiter.api.Test
    void verboseShowsTheStackTrace() {
        CommandRun run = CommandRun.of("inspect", "no-such-segment", "--verbose");
        assertEquals(CommandFailureHandler.RUNTIME, run.exitCode());
        assertTrue(run.err().contains("\tat dev.heatgrid.segment."), run.toString());
    }

    @org.junit.jupiter.api.Test
    void kernelsListsFieldsParametersAndStabilityRules() {
        CommandRun run = CommandRun.of("kernels");
        assertEquals(0, run.exitCode(), run.toString());
        for (String expected : new String[] {"ftcs", "adi", "spectral", "fields: T", "stability:", "alpha"}) {
            assertTrue(run.out().contains(expected), expected + " missing:\n" + run.out());
        }
    }

    @org.junit.jupiter.api.Test
    void helpCommandShowsTheUsageOfTheCommandNamed() {
        CommandRun run = CommandRun.of("help", "run");
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("Usage: heatgrid run "), run.out());
        assertTrue(run.err().isEmpty(), run.err());
    }

    /** Segment names complete from the segments that exist when Tab is pressed, in real bash. */
    @org.junit.jupiter.api.Test
    void completionScriptCompletesSegmentNamesFromTheSegmentDirectory(@TempDir Path work) throws Exception {
        CommandRun run = CommandRun.of("generate-completion");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("complete -F") && run.out().contains("inspect"), run.out());
        assertFalse(run.out().contains(CompletionCommand.PLACEHOLDER), "a placeholder left in the script");
        Path script = Files.writeString(work.resolve("heatgrid-completion.bash"), run.out());
        String name = "cli-completion-" + ProcessHandle.current().pid();
        Path segment = SegmentNames.defaultDirectory().resolve(name + SegmentNames.EXTENSION);
        Files.writeString(segment, "any file with the extension is offered");
        try {
            for (String command : List.of("inspect", "view", "serve", "run", "snapshot", "record", "steer")) {
                List<String> candidates = completions(script, "heatgrid " + command + " " + name.substring(0, 12));
                assertTrue(candidates.contains(name), command + ": " + candidates);
            }
        } finally {
            Files.deleteIfExists(segment);
        }
    }

    /** What real bash offers for the last of {@code words} after sourcing {@code script}. */
    static List<String> completions(Path script, String words) throws Exception {
        int last = words.split(" ").length - 1;
        Process bash = new ProcessBuilder("bash", "-c", "source '" + script + "' 2>/dev/null;"
                + " COMP_WORDS=(" + words + "); COMP_CWORD=" + last + "; COMP_LINE='" + words + "';"
                + " COMP_POINT=${#COMP_LINE}; _complete_heatgrid 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"")
                .redirectErrorStream(true).start();
        String candidates = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, bash.waitFor(), candidates);
        return candidates.lines().toList();
    }
}
