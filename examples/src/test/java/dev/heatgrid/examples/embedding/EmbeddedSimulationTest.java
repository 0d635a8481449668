package dev.heatgrid.examples.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedding runs its rounds and reads each published frame back: the fin warms from the hot edge. */
class EmbeddedSimulationTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void runsInRoundsAndReadsItsOwnFramesBack() throws Exception {
        Path segment = dir.resolve("embedded.hgrid");
        var bytes = new ByteArrayOutputStream();
        List<EmbeddedSimulation.Round> rounds;
        try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            rounds = EmbeddedSimulation.run(segment, out);
        }
        String printed = bytes.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        List<String> lines = printed.lines().toList();
        assertEquals(1 + EmbeddedSimulation.ROUNDS, lines.size(), printed);
        assertTrue(lines.getFirst().contains("kernel variable-conductivity"), lines.getFirst());
        assertEquals(EmbeddedSimulation.ROUNDS, rounds.size());
        for (int r = 0; r < rounds.size(); r++) {
            EmbeddedSimulation.Round round = rounds.get(r);
            long step = (r + 1) * EmbeddedSimulation.STEPS_PER_ROUND;
            assertEquals(step, round.step());
            assertEquals(step + 1, round.generation(), "one publication per step after the initial frame");
            assertTrue(lines.get(r + 1).startsWith("step " + step + "  generation " + (step + 1)), lines.get(r + 1));
            assertTrue(round.finTip() > 2 * round.airAtTip(), "the fin carries heat further than air: " + round);
            assertTrue(round.finTip() < EmbeddedSimulation.HOT_EDGE, round.toString());
            if (r > 0) {
                EmbeddedSimulation.Round before = rounds.get(r - 1);
                assertTrue(round.finTip() > before.finTip() && round.totalHeat() > before.totalHeat(),
                        "heat keeps flowing in from the hot edge: " + before + " -> " + round);
            }
        }
        assertFalse(Files.exists(segment), "the embedding's segment outlived it");
    }
}
