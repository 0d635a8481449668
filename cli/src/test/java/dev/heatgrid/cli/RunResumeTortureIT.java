package dev.heatgrid.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.heatgrid.segment.Frame;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.LockHolderMain;
import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash torture through the command line: {@code heatgrid run --keep} is SIGKILLed at seeded random
 * moments (every fourth time while a steering process holds the segment's lock); after each kill
 * {@code inspect --verify} must find the newest frame intact, and {@code run --resume} must take over
 * and continue. The final frame must equal an uninterrupted run's bit for bit.
 * {@code -Dheatgrid.torture.resumes=N} (10 in every build, 100 with -Ptorture).
 */
class RunResumeTortureIT {
    private static final int TRIALS = Integer.getInteger("heatgrid.torture.resumes", 10);
    private static final long SEED = Long.getLong("heatgrid.torture.seed", 7L);
    private static final long TOTAL_STEPS = 200_000;
    private static final List<String> PROBLEM = List.of("--size", "48x40", "--init", "random:11", "--boundary",
            "neumann", "--heater", "5,5,9,9,3", "--threads", "1", "--keep", "--quiet");

    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void killedRunsResumeToTheSameBitsAsAnUninterruptedRun() throws Exception {
        Path reference = dir.resolve("reference.hgrid");
        var args = new ArrayList<>(List.of("run", reference.toString(), "--steps", Long.toString(TOTAL_STEPS)));
        args.addAll(PROBLEM);
        PackagedCommand.Result uninterrupted = exec(args);
        assertEquals(0, uninterrupted.code(), uninterrupted.toString());

        Path tortured = dir.resolve("tortured.hgrid");
        SplittableRandom random = new SplittableRandom(SEED);
        List<Long> takeoverMillis = new ArrayList<>();
        long framesChecked = 0;
        int lockKills = 0;
        int recoveries = 0;
        var first = new ArrayList<>(List.of("run", tortured.toString(), "--steps", Long.toString(TOTAL_STEPS)));
        first.addAll(PROBLEM);
        Process run = start(first);
        PackagedCommand.awaitFile(tortured, run);
        awaitNewGeneration(tortured, 0, run); // the first kill lands after the initial frame exists
        long lastStep = -1;
        for (int trial = 0; trial < TRIALS; trial++) {
            JvmProcess holder = null;
            if (trial % 4 == 3) {
                holder = JvmProcess.start(LockHolderMain.class, tortured.toString());
                holder.awaitLine("LOCKED", Duration.ofSeconds(30));
            }
            Thread.sleep(random.nextInt(50, 400));
            run.destroyForcibly();
            run.waitFor();
            long holderPid = 0;
            if (holder != null) {
                holderPid = holder.pid();
                holder.kill();
                holder.close();
                lockKills++;
            }

            PackagedCommand.Result verify = exec(List.of("inspect", tortured.toString(), "--verify", "--json"));
            assertEquals(0, verify.code(), "trial " + trial + ": " + verify);
            JsonNode json = new ObjectMapper().readTree(verify.out());
            assertTrue(json.get("verify").get("ok").asBoolean(), "trial " + trial + ": " + verify.out());
            long step = json.get("step").asLong();
            assertTrue(step >= lastStep, "trial " + trial + ": step went backwards");
            lastStep = step;
            framesChecked++;
            if (step >= TOTAL_STEPS) {
                break;
            }

            long killedAt = System.nanoTime();
            run = start(List.of("run", tortured.toString(), "--resume", "--steps", Long.toString(TOTAL_STEPS - step),
                    "--quiet"));
            awaitNewGeneration(tortured, json.get("generation").asLong(), run);
            takeoverMillis.add((System.nanoTime() - killedAt) / 1_000_000);
            if (holderPid != 0) {
                recoveries++;
                awaitStderr(run, "from dead process pid " + holderPid);
            }
        }
        // Let the last resumed run finish, then compare with the uninterrupted one.
        assertTrue(run.waitFor(300, TimeUnit.SECONDS), "the last resumed run did not finish");
        assertEquals(0, run.exitValue(), stderrOf(run));
        try (FrameReader expected = FrameReader.open(reference); FrameReader actual = FrameReader.open(tortured)) {
            Frame a = Frame.shapedFor(expected.layout());
            Frame b = Frame.shapedFor(actual.layout());
            expected.latest(a);
            actual.latest(b);
            assertEquals(TOTAL_STEPS, b.header().step());
            assertEquals(a.header().time(), b.header().time());
            assertArrayEquals(a.field(0), b.field(0), "the killed-and-resumed run differs from the uninterrupted one");
        }
        Collections.sort(takeoverMillis);
        System.out.printf("run --resume torture: %d kills (%d with the lock held by a steering process), %d frames"
                        + " verified, 0 corrupt, %d lock recoveries logged; kill -> resumed run publishing: median %d ms,"
                        + " max %d ms; final frame bit-identical to the uninterrupted run%n", framesChecked, lockKills,
                framesChecked, recoveries, takeoverMillis.get(takeoverMillis.size() / 2), takeoverMillis.getLast());
    }

    private Process start(List<String> args) throws IOException {
        Path err = Files.createTempFile(dir, "run", ".err");
        Process process = new ProcessBuilder(PackagedCommand.command(args)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        STDERR.put(process, err);
        return process;
    }

    private static final java.util.Map<Process, Path> STDERR = new java.util.concurrent.ConcurrentHashMap<>();

    private static String stderrOf(Process process) throws IOException {
        Path err = STDERR.get(process);
        return err == null ? "" : Files.readString(err);
    }

    private static void awaitStderr(Process process, String text) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!stderrOf(process).contains(text)) {
            assertTrue(System.nanoTime() < deadline, "no '" + text + "' on stderr:\n" + stderrOf(process));
            Thread.sleep(20);
        }
    }

    private static PackagedCommand.Result exec(List<String> args) throws IOException, InterruptedException {
        return PackagedCommand.exec(Duration.ofMinutes(5), args);
    }

    private static void awaitNewGeneration(Path segment, long after, Process run) throws Exception {
        try (FrameReader reader = FrameReader.open(segment, false)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (reader.awaitNewer(after, 100, TimeUnit.MILLISECONDS) == 0) {
                assertTrue(run.isAlive() || reader.generation() > after, "the resumed run died:\n" + stderrOf(run));
                assertTrue(System.nanoTime() < deadline, "the resumed run published nothing within 30 s");
            }
        }
    }
}
