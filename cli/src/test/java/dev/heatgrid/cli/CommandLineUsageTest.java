package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Help for every command; bad flags and values exit 2 with one line naming what is wrong. */
class CommandLineUsageTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "run", "view", "serve", "inspect", "snapshot", "steer", "kernels", "clean", "demo", "bench",
        "generate-completion"})
    void everyCommandHasHelpAndVersion(String command) {
        String[] help = command.isEmpty() ? new String[] {"--help"} : new String[] {command, "--help"};
        CommandRun run = CommandRun.of(help);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().startsWith("Usage: heatgrid" + (command.isEmpty() ? "" : " " + command)), run.out());
        String[] version = command.isEmpty() ? new String[] {"--version"} : new String[] {command, "--version"};
        CommandRun v = CommandRun.of(version);
        assertEquals(0, v.exitCode(), v.toString());
        assertTrue(v.out().startsWith("heatgrid "), v.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bogus | Unmatched argument at index 0: 'bogus'",
        "inspect | Missing required parameter: 'SEGMENT'",
        "inspect x --frobnicate | Unknown option: '--frobnicate'",
        "snapshot x | Missing required option: '--out=FILE'",
        "snapshot x --out a.txt | --out: 'a.txt' has no known extension; use .png, .csv, .npy or .vti",
        "snapshot x --out /no/such/dir/a.npy | --out: directory /no/such/dir does not exist",
        "steer x dance | unknown action 'dance'",
        "steer x set | set needs KEY=VALUE",
        "steer x set alpha | set: 'alpha' is not KEY=VALUE",
        "steer x set alpha=hot | set alpha: 'hot' is not a finite number",
        "steer x heat 1,2,3 | heat: '1,2,3' is not X,Y,RADIUS,TEMP",
        "steer x pause now | pause takes no argument, got 'now'",
        "steer x pause --timeout 5 | '5' is not a duration",
        "clean /no/such/dir | '/no/such/dir' is not a directory",
        "run x --size 512y512 | Invalid value for option '--size'",
        "run x --size 2x2 | Invalid value for option '--size'",
        "run x --kernel nope | unknown kernel 'nope'; installed: ftcs, adi, spectral",
        "run x --param alpha | parameter 'alpha' is not KEY=VALUE",
        "run x --param beta=1 | beta",
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
        "demo --size 3 | --size is 3; allowed 16..4096",
        "view x --colormap rainbow | Invalid value for option '--colormap': unknown colour map 'rainbow'; allowed: inferno",
        "view x --range 5:1 | Invalid value for option '--range': range '5:1': expected MIN:MAX",
        "view x --reduce median | Invalid value for option '--reduce'",
        "view x --fps 0 | Invalid value for option '--fps': frame rate",
        "view x --png a.png --every 5 --out d | choose one",
        "view x --every 5 | --every needs --out DIR",
        "view x --out d | --out needs --every",
        "view x --every sometimes --out d | Invalid value for option '--every'",
        "view x --image-size huge | Invalid value for option '--image-size'",
        "view x | no display to open a window on",
        "serve x --port 70000 | --port is 70000; allowed 0 (a free port) to 65535",
        "serve x --port http | Invalid value for option '--port'",
        "serve x --fps 0 | Invalid value for option '--fps': frame rate",
        "serve x --colormap rainbow | Invalid value for option '--colormap': unknown colour map 'rainbow'",
        "serve x --image-size huge | Invalid value for option '--image-size'",
        "serve x --timeout soon | 'soon' is not a duration",
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
    void completionScriptIsGenerated() {
        CommandRun run = CommandRun.of("generate-completion");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("complete -F") && run.out().contains("inspect"), run.out());
    }
}
