package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code heatgrid bench --quick} runs every measurement (starting its helper JVMs) and prints every
 * row of the table with positive figures, the solver-vs-C row included (or the reason it is missing).
 * A smoke test: no figure is compared with a target.
 */
class BenchCommandTest {
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    @Test
    void quickRunPrintsEveryRowWithPositiveFigures() {
        CommandRun run = CommandRun.of("bench", "--quick");
        assertEquals(0, run.exitCode(), run.toString());
        List<String> lines = Arrays.asList(run.out().split("\n"));
        for (String sender : List.of("copy", "produce")) {
            for (String frame : List.of("2 MiB", "32 MiB")) {
                for (String transport : List.of("segment", "pipe", "unix socket", "tcp")) {
                    assertPositiveRow(lines, sender + " +" + frame + " +" + transport + " ", run);
                }
                assertPositiveRow(lines, sender + " +" + frame + " +segment / best other", run);
            }
        }
        assertPositiveRow(lines, "spin ", run);
        assertPositiveRow(lines, "futex ", run);
        assertPositiveRow(lines, "2 MiB +\\d", run);
        assertPositiveRow(lines, "32 MiB +\\d", run);
        for (String viewers : List.of("0", "1", "4")) {
            // steps/s, MLUPS, ratio and viewer frames/s; the last column counts given-up reads, often 0.
            assertPositiveRow(lines, viewers + " +\\d", run, viewers.equals("0") ? 3 : 4);
        }
        assertPositiveRow(lines, "512\\^2 ", run);
        assertPositiveRow(lines, "2048\\^2 ", run);
        // The solver against the C reference: a row with C's and the solver's MLUPS, or why not (no gcc).
        if (lines.stream().noneMatch(l -> l.startsWith("heatgrid vs C: "))) {
            assertTrue(run.out().contains("heatgrid vs C, same run"), run.toString());
            assertPositiveRow(lines, "128 +1 ", run);
        }
    }

    private static void assertPositiveRow(List<String> lines, String rowStart, CommandRun run) {
        assertPositiveRow(lines, rowStart, run, Integer.MAX_VALUE);
    }

    /** The first {@code figures} figures of the row are positive (all of them with MAX_VALUE). */
    private static void assertPositiveRow(List<String> lines, String rowStart, CommandRun run, int figures) {
        Pattern start = Pattern.compile("^ *" + rowStart);
        String row = lines.stream().filter(l -> start.matcher(l).find()).findFirst().orElse(null);
        assertTrue(row != null, "no row starting with '" + rowStart + "' in\n" + run);
        // Figures after the row's label: frame sizes and counts in the label itself are positive too.
        var numbers = NUMBER.matcher(row.substring(start.matcher(row).results().findFirst().orElseThrow().end() - 1));
        int seen = 0;
        while (seen < figures && numbers.find()) {
            seen++;
            assertTrue(Double.parseDouble(numbers.group()) > 0, "a figure <= 0 in row: " + row);
        }
        assertTrue(seen > 0, "no figures in row: " + row);
    }
}
