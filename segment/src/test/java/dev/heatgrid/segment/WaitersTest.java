package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The waiters word (docs/FORMAT.md 4.3): a writer makes no FUTEX_WAKE system call while no reader
 * sleeps, and a reader that sleeps is always woken by the publish it waits for. The memory-ordering
 * argument is jcstress's (WaitersStressTest); here real futexes race hundreds of times, with a
 * reader that would sleep 20 s without its wake, so a lost wake-up fails instead of showing as latency.
 */
class WaitersTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void noWakeSystemCallWhileNobodyWaits() throws Exception {
        assumeTrue(FrameReader.blockingWaitAvailable(), "futex wait needs Linux");
        Path path = dir.resolve("idle.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             FrameReader idle = FrameReader.open(path)) {
            for (int g = 0; g < 500; g++) {
                writer.beginFrame();
                writer.publish(g, g, "");
            }
            assertEquals(500, idle.generation());
            assertEquals(0, writer.wakes(), "FUTEX_WAKE calls with a reader attached but not waiting");
        }
    }

    /**
     * Closing any descriptor of a file drops every fcntl lock the process holds on it (POSIX): a
     * reader opened in the writer's JVM, and the writable header page it maps before its first
     * sleep, must not cost the process its attach and writer locks.
     */
    @Test
    void aReaderInTheWritersJvmThatSleepsKeepsTheProcessLocks() throws Exception {
        assumeTrue(FrameReader.blockingWaitAvailable() && AttachedProcesses.supported(), "futex and /proc/locks need Linux");
        Path path = dir.resolve("locks.hgrid");
        var me = new AttachedProcesses.Attached(ProcessHandle.current().pid(), true);
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"))) {
            writer.beginFrame();
            writer.publish(0, 0, "");
            try (FrameReader reader = FrameReader.open(path)) {
                assertEquals(java.util.List.of(me), AttachedProcesses.of(path), "after a second attachment");
                reader.setSpinNanos(0);
                assertEquals(0, reader.awaitNewer(reader.generation(), 5, TimeUnit.MILLISECONDS));
                assertEquals(java.util.List.of(me), AttachedProcesses.of(path), "after the reader slept");
            }
            assertEquals(java.util.List.of(me), AttachedProcesses.of(path), "after the reader left");
        }
    }

    @Test
    void aSleepingReaderIsAlwaysWokenByThePublishItWaitsFor() throws Exception {
        assumeTrue(FrameReader.blockingWaitAvailable(), "futex wait needs Linux");
        Path path = dir.resolve("race.hgrid");
        var random = new SplittableRandom(13);
        int rounds = 300;
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             FrameReader reader = FrameReader.open(path)) {
            reader.setSpinNanos(0);
            reader.maxBlockNanos = TimeUnit.SECONDS.toNanos(20);
            writer.beginFrame();
            writer.publish(0, 0, "");
            for (int round = 0; round < rounds; round++) {
                long seen = writer.generation();
                CompletableFuture<Long> woken = CompletableFuture.supplyAsync(() -> {
                    try {
                        return reader.awaitNewer(seen, 20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                });
                LockSupport.parkNanos(random.nextLong(300_000)); // publish before, during or after the reader sleeps
                writer.beginFrame();
                writer.publish(round + 1, round + 1, "");
                assertEquals(seen + 1, woken.get(30, TimeUnit.SECONDS), "round " + round + ": the reader missed the publish");
            }
            assertTrue(writer.wakes() > 0 && writer.wakes() <= rounds, "wakes: " + writer.wakes());
            System.out.printf("waiters: %d rounds, %d FUTEX_WAKE calls (a reader still spinning or not yet asleep needs none)%n",
                    rounds, writer.wakes());
        }
    }
}
