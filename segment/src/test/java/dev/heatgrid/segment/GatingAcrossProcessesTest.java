package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer gate across real JVMs: a slow gating consumer loses no frame and paces the writer; a
 * consumer SIGKILLed or SIGSTOPped while the writer waits for it never holds the run up for longer
 * than its bound (the dead one is noticed within one sleep of the writer, 50 ms), and a stopped one
 * is not dropped before its bound. The writer measures its longest wait itself (CountedWriterMain).
 * Kills: {@code heatgrid.torture.trials} / 5 (4 by default, 20 with -Ptorture); stops: / 10.
 */
class GatingAcrossProcessesTest {
    private static final Duration START = Duration.ofSeconds(60);
    private static final int TRIALS = Integer.getInteger("heatgrid.torture.trials", 20);
    /** Scheduling slack on a shared 2-core machine, over the bound FORMAT.md §4.4 states. */
    private static final long SLACK_MILLIS = 2_000;

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
        var waits = new ArrayList<Long>();
        for (int trial = 0; trial < Math.max(4, TRIALS / 5); trial++) {
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
                long waited = longestWaitMillis(writer);
                waits.add(waited);
                // FORMAT.md §4.4: a dead consumer is dropped within about 50 ms of the writer needing its
                // buffer (its 30 s stall bound must play no part).
                assertTrue(waited < 50 + SLACK_MILLIS, "trial " + trial + ": the writer waited " + waited
                        + " ms for a dead consumer");
            }
        }
        System.out.println("gate: SIGKILLed consumer, longest writer wait per trial (ms): " + waits);
    }

    @Test
    void aSigstoppedConsumerIsDroppedAfterItsBoundAndToldSoWhenItRunsAgain() throws Exception {
        var waits = new ArrayList<Long>();
        for (int trial = 0; trial < Math.max(2, TRIALS / 10); trial++) {
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
                    long waited = longestWaitMillis(writer);
                    waits.add(waited);
                    // Not before its 1000 ms bound (the gate counts it from the consumer's last progress,
                    // which comes before the wait began), nor long after.
                    assertTrue(waited >= 1000 && waited < 1000 + SLACK_MILLIS, "trial " + trial
                            + ": the writer waited " + waited + " ms for a consumer stopped with a 1000 ms bound");
                    assertTrue(consumer.awaitLine("DROPPED", START).contains("did not advance within its gate timeout"));
                    assertEquals(0, consumer.waitFor(Duration.ofMinutes(1)), consumer.stderr());
                    Map<String, String> result = values(consumer.awaitLine("RESULT", START));
                    assertEquals("0", result.get("torn"));
                    assertTrue(Long.parseLong(result.get("lost")) > 0, "a consumer dropped for 15 s lost nothing?");
                }
            }
        }
        System.out.println("gate: SIGSTOPped consumer (bound 1000 ms), longest writer wait per trial (ms): " + waits);
    }

    private static long longestWaitMillis(JvmProcess writer) throws Exception {
        return Long.parseLong(values(writer.awaitLine("DONE", START)).get("longestWait")) / 1_000_000;
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
