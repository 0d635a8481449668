package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash torture at the segment level: a writer JVM publishing flat out is SIGKILLed at a random
 * (seeded) moment, in some trials while a steering JVM holds the shared lock half way through a
 * command. After every kill: the survivors still read a whole, checksum-valid frame, the newest one
 * published; a new writer takes over (recovering the lock from the dead holder and saying so) and
 * continues from that generation.
 *
 * <p>{@code -Dheatgrid.torture.trials=N} sets the number of kills (20 by default; the {@code torture}
 * Maven profile runs 100); {@code -Dheatgrid.torture.seed} the seed.
 */
class CrashTortureTest {
    private static final int TRIALS = Integer.getInteger("heatgrid.torture.trials", 20);
    private static final long SEED = Long.getLong("heatgrid.torture.seed", 20261126L);
    private static final Duration TAKEOVER_LIMIT = Duration.ofSeconds(20);

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void everyKillLeavesTheNewestFrameWholeAndAWriterCanTakeOver() throws Exception {
        Path path = dir.resolve("torture.hgrid");
        SplittableRandom random = new SplittableRandom(SEED);
        JvmProcess writer = JvmProcess.start(PatternWriterMain.class, path.toString(), "64", "64", "2", "600", "keep");
        writer.awaitLine("READY", Duration.ofSeconds(30));
        FrameReader survivor = FrameReader.open(path);   // stays attached through every crash
        Frame frame = Frame.shapedFor(survivor.layout());
        long lastGeneration = 0;
        long framesChecked = 0;
        int lockKills = 0;
        int recoveries = 0;
        List<Long> takeoverMillis = new ArrayList<>();
        try {
            for (int trial = 0; trial < TRIALS; trial++) {
                boolean killWhileLocked = trial % 4 == 3;
                JvmProcess holder = null;
                if (killWhileLocked) {
                    holder = JvmProcess.start(LockHolderMain.class, path.toString());
                    holder.awaitLine("LOCKED", Duration.ofSeconds(30));
                }
                Thread.sleep(random.nextInt(5, 250));
                writer.kill(); // blocked on the lock if a holder has it, else anywhere in its loop
                writer.close();
                long holderPid = 0;
                if (holder != null) {
                    holderPid = holder.pid();
                    holder.kill(); // dies holding the lock, its command half written
                    holder.close();
                    lockKills++;
                }

                // The survivor reads the newest published frame, whole and checksum-valid.
                long published = survivor.generation();
                long generation = survivor.latest(frame);
                assertEquals(published, generation, "trial " + trial + ": not the newest published frame");
                assertEquals(generation, GenerationPattern.wholeGeneration(frame.field(0)), "trial " + trial + ": torn");
                assertTrue(generation >= lastGeneration, "trial " + trial + ": generation went backwards");
                assertEquals(0, survivor.commandLog().size(), "a half-written command was logged as applied");
                framesChecked++;

                // A new writer takes over and continues from exactly that generation.
                long start = System.nanoTime();
                writer = JvmProcess.start(PatternWriterMain.class, path.toString(), "64", "64", "2", "600", "resume");
                String resumed = writer.awaitLine("RESUMED", TAKEOVER_LIMIT);
                takeoverMillis.add((System.nanoTime() - start) / 1_000_000);
                assertTrue(resumed.contains("from=" + generation + " first=" + (generation + 1)),
                        "trial " + trial + ": " + resumed);
                if (killWhileLocked) {
                    assertTrue(resumed.endsWith("recoveries=1"), "trial " + trial + ": lock not recovered: " + resumed);
                    assertTrue(writer.stderr().contains("from dead process pid " + holderPid), writer.stderr());
                    recoveries++;
                }
                long next = survivor.awaitNewer(generation, 10, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(next > generation, "trial " + trial + ": the new writer publishes nothing");
                lastGeneration = generation;
            }
        } finally {
            writer.close();
            survivor.close();
        }
        Collections.sort(takeoverMillis);
        System.out.printf("crash torture: %d kills (%d while a steering process held the lock), %d frames checked,"
                        + " 0 torn or corrupt accepted, %d lock recoveries; new writer publishing after kill: median %d ms,"
                        + " max %d ms (includes JVM start)%n", TRIALS, lockKills, framesChecked, recoveries,
                takeoverMillis.get(takeoverMillis.size() / 2), takeoverMillis.getLast());
    }
}
