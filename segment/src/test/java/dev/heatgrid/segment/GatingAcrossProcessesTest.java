package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer gate across real JVMs: a slow gating consumer loses no frame and paces the writer; a
 * consumer SIGKILLed or SIGSTOPped while the writer waits for it never holds the run up for longer
 * than its bound (the dead one is noticed within one sleep of the writer, 50 ms).
 */
class GatingAcrossProcessesTest {
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void aSlowConsumerLosesNoneOfTenThousandFramesAndPacesTheWriter() throws Exception {
        Path path = dir.resolve("lossless.hgrid");
        try (JvmProcess writer = JvmProcess.start(CountedWriterMain.class, path.toString(), "64", "64", "2", "10000")) {
            writer.awaitLine("READY", START);
            try (JvmProcess consumer = JvmProcess.start(GatingConsumerMain.class, path.toString(), "30000", "300")) {
                consumer.awaitLine("JOINED first=1", START);
                writer.send("go");
                assertEquals(0, writer.waitFor(Duration.ofMinutes(5)), writer.stderr());
                assertEquals(0, consumer.waitFor(Duration.ofMinutes(1)), consumer.stderr());
                Map<String, String> result = values(consumer.awaitLine("RESULT", START));
                Map<String, String> done = values(writer.awaitLine("DONE", START));
                assertEquals("10000", result.get("read"), consumer.stdout());
                assertEquals("0", result.get("lost"), consumer.stdout());
                assertEquals("0", result.get("torn"));
                assertEquals("10000", result.get("last"));
                assertTrue(!consumer.stdout().contains("DROPPED"), consumer.stdout());
                double writerRate = 10000 / (Long.parseLong(done.get("nanos")) / 1e9);
                double consumerRate = 10000 / (Long.parseLong(result.get("nanos")) / 1e9);
                // Not a speed test (the machine is shared): the figures say what pacing looked like.
                System.out.printf("lossless: writer %.0f frames/s, consumer %.0f frames/s (busy 300 us a frame)%n",
                        writerRate, consumerRate);
                assertTrue(writerRate < 3333 * 1.2, "the writer ran faster than the consumer could possibly read: "
                        + writerRate + " frames/s");
            }
        }
    }

    @Test
    void aSigkilledConsumerNeverWedgesTheWriter() throws Exception {
        SplittableRandom random = new SplittableRandom(17);
        for (int trial = 0; trial < 4; trial++) {
            Path path = dir.resolve("killed-" + trial + ".hgrid");
            try (JvmProcess writer = JvmProcess.start(CountedWriterMain.class, path.toString(), "64", "64", "2", "20000")) {
                writer.awaitLine("READY", START);
                JvmProcess consumer = JvmProcess.start(GatingConsumerMain.class, path.toString(), "30000", "1000");
                consumer.awaitLine("JOINED", START);
                writer.send("go");
                consumer.awaitLine("AT 200", START);
                Thread.sleep(random.nextInt(0, 100));
                long pid = consumer.pid();
                consumer.kill();
                consumer.close();
                // 20,000 frames at the consumer's pace would take 20 s; without it, well under a second.
                assertEquals(0, writer.waitFor(Duration.ofSeconds(15)), "trial " + trial + ": " + writer.stderr());
                assertTrue(writer.stderr().contains("dropped gating consumer pid " + pid)
                        && writer.stderr().contains("its process has gone"), "trial " + trial + ": " + writer.stderr());
            }
        }
    }

    @Test
    void aSigstoppedConsumerIsDroppedAfterItsBoundAndToldSoWhenItRunsAgain() throws Exception {
        for (int trial = 0; trial < 2; trial++) {
            Path path = dir.resolve("stopped-" + trial + ".hgrid");
            try (JvmProcess writer = JvmProcess.start(CountedWriterMain.class, path.toString(), "64", "64", "3", "20000")) {
                writer.awaitLine("READY", START);
                JvmProcess consumer = JvmProcess.start(GatingConsumerMain.class, path.toString(), "1000", "1000");
                try (consumer) {
                    consumer.awaitLine("JOINED", START);
                    writer.send("go");
                    consumer.awaitLine("AT 200", START);
                    consumer.signal("STOP");
                    try {
                        assertEquals(0, writer.waitFor(Duration.ofSeconds(15)), "trial " + trial + ": " + writer.stderr());
                    } finally {
                        consumer.signal("CONT");
                    }
                    assertTrue(writer.stderr().contains("dropped gating consumer pid " + consumer.pid())
                            && writer.stderr().contains("within its gate timeout (1000 ms;"), writer.stderr());
                    assertTrue(consumer.awaitLine("DROPPED", START).contains("did not advance within its gate timeout"));
                    assertEquals(0, consumer.waitFor(Duration.ofMinutes(1)), consumer.stderr());
                    Map<String, String> result = values(consumer.awaitLine("RESULT", START));
                    assertEquals("0", result.get("torn"));
                    assertTrue(Long.parseLong(result.get("lost")) > 0, "a consumer dropped for 15 s lost nothing?");
                }
            }
        }
    }

    private static Map<String, String> values(String line) {
        var map = new HashMap<String, String>();
        for (String part : line.split(" ")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                map.put(part.substring(0, eq), part.substring(eq + 1));
            }
        }
        return map;
    }
}
