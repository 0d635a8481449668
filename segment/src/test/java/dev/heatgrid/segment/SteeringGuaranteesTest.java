package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steering commands belong to the writer run they were posted to, expire when their poster stops
 * waiting, carry their reason, and are sealed against a late store from a poster whose lease expired.
 */
class SteeringGuaranteesTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void commandsRoundTripWithTheirReason() throws Exception {
        Path path = dir.resolve("steer.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             SteeringClient client = SteeringClient.open(path);
             FrameReader reader = FrameReader.open(path)) {
            assertNull(writer.takeCommand());
            long seq = client.post(SteeringCode.SET, "alpha", 5, TimeUnit.SECONDS, 2.5);
            SteeringCommand command = writer.takeCommand();
            assertEquals(seq, command.seq());
            assertEquals(SteeringCode.SET, command.code());
            assertEquals("alpha", command.key());
            assertEquals(2.5, command.arg(0));
            assertEquals(ProcessHandle.current().pid(), command.posterPid());
            assertNull(writer.takeCommand());
            writer.recordCommand(command, 42, CommandOutcome.applied("alpha 1.0 -> 2.5"));

            CommandRecord record = client.awaitResult(seq, 1, TimeUnit.SECONDS).orElseThrow();
            assertEquals("alpha 1.0 -> 2.5", client.resultMessage(seq).orElseThrow());
            assertEquals(42, record.step());
            assertTrue(record.applied());
            assertEquals(record, reader.commandLog().getFirst());
            assertThrows(IllegalArgumentException.class, () -> writer.recordCommand(command, 43,
                    CommandOutcome.refused("")), "an outcome without its reason was recorded");

            // The log keeps the newest 16; older entries roll off.
            for (int i = 0; i < 20; i++) {
                long s = client.post(SteeringCode.HEAT, "", 5, TimeUnit.SECONDS, i, 2, 3, 4);
                writer.recordCommand(writer.takeCommand(), 100 + i, CommandOutcome.refused("no heat today"));
                assertEquals(s, reader.commandLog().getFirst().command().seq());
            }
            assertEquals(SegmentDescriptor.LOG_ENTRIES, reader.commandLog().size());
            assertEquals(119, reader.commandLog().getFirst().step());
        }
    }

    @Test
    void sendCoversTheWholeExchangeAndReturnsTheReason() throws Exception {
        Path path = dir.resolve("send.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             SteeringClient client = SteeringClient.open(path)) {
            Thread solver = Thread.ofPlatform().start(() -> {
                try {
                    SteeringCommand command;
                    while ((command = writer.takeCommand()) == null) {
                        Thread.sleep(1);
                    }
                    writer.recordCommand(command, 7, CommandOutcome.refused("alpha 9 is unstable here"));
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            SteeringClient.Outcome outcome = client.send(SteeringCode.SET, "alpha", Duration.ofSeconds(10), 9);
            solver.join();
            assertEquals(CommandRecord.REFUSED, outcome.record().result());
            assertEquals("alpha 9 is unstable here", outcome.message());
        }
    }

    /**
     * A writer that logs a command and leaves at once (a STOP obeyed as the run ends): its poster
     * gets the outcome, never "no running writer". Repeated, because the poster's look at the log
     * and its look at the writer's state race the writer's two stores; the writer waits 0-20 µs
     * after taking the command, so its two stores sweep across the poster's first look.
     */
    @Test
    void anOutcomeLoggedJustBeforeTheWriterLeavesReachesItsPoster() throws Exception {
        for (int i = 0; i < 1000; i++) {
            long delay = (i % 41) * 500L;
            Path path = dir.resolve("leaving-" + i + ".hgrid");
            SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
            try (SteeringClient client = SteeringClient.open(path)) {
                Thread solver = Thread.ofPlatform().start(() -> {
                    try (writer) {
                        SteeringCommand command;
                        while ((command = writer.takeCommand()) == null) {
                            Thread.onSpinWait();
                        }
                        for (long until = System.nanoTime() + delay; System.nanoTime() < until; ) {
                            Thread.onSpinWait();
                        }
                        writer.recordCommand(command, 7, CommandOutcome.applied("stopping"));
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                SteeringClient.Outcome outcome = client.send(SteeringCode.STOP, "", Duration.ofSeconds(10));
                solver.join();
                assertEquals(CommandRecord.APPLIED, outcome.record().result(), "try " + i);
                assertEquals("stopping", outcome.message(), "try " + i);
            }
        }
    }

    @Test
    void aCommandThePosterGaveUpOnExpiresAndIsNeverObeyed() throws Exception {
        Path path = dir.resolve("expired.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             SteeringClient client = SteeringClient.open(path);
             FrameReader reader = FrameReader.open(path)) {
            // The writer is busy (it takes nothing): the client gives up and says the command was not taken.
            SteeringTimeoutException e = assertThrows(SteeringTimeoutException.class,
                    () -> client.send(SteeringCode.STOP, "", Duration.ofMillis(300)));
            assertFalse(e.taken(), e.getMessage());
            assertTrue(e.getMessage().contains("expired"), e.getMessage());
            // When the writer gets round to it, the command is discarded and the log says why.
            assertNull(writer.takeCommand(), "an expired command was obeyed");
            CommandRecord logged = reader.commandLog().getFirst();
            assertEquals(CommandRecord.DISCARDED, logged.result());
            assertEquals(SteeringCode.STOP, logged.command().code());
            assertTrue(client.resultMessage(logged.command().seq()).orElseThrow().contains("expired"));
        }
    }

    @Test
    void aResumedWriterDiscardsWhatWasPostedToItsPredecessor() throws Exception {
        Path path = dir.resolve("resumed.hgrid");
        long seq;
        try (SegmentWriter first = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T").withKeep(true));
             SteeringClient client = SteeringClient.open(path)) {
            first.beginFrame();
            first.publish(0, 0, "");
            seq = client.post(SteeringCode.STOP, "", 30, TimeUnit.SECONDS); // long valid: only the run decides
            // the first writer dies (here: leaves) without taking it
        }
        try (SegmentWriter second = SegmentWriter.resume(path);
             FrameReader reader = FrameReader.open(path)) {
            assertEquals(2, second.writerRun().run());
            assertNull(second.takeCommand(), "a resumed writer obeyed a command posted to its predecessor");
            CommandRecord logged = reader.commandLog().getFirst();
            assertEquals(seq, logged.command().seq());
            assertEquals(CommandRecord.DISCARDED, logged.result());
            try (SteeringClient client = SteeringClient.open(path)) {
                String why = client.resultMessage(seq).orElseThrow();
                assertTrue(why.contains("run 1") && why.contains("run 2"), why);
            }
        }
    }

    @Test
    void aLateStoreIntoTheSlotIsCaughtByTheSeal() throws Exception {
        Path path = dir.resolve("sealed.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             SteeringClient client = SteeringClient.open(path);
             SegmentFile raw = SegmentFile.open(path, SegmentFile.Access.READ_WRITE, false)) {
            client.post(SteeringCode.SET, "alpha", 30, TimeUnit.SECONDS, 0.5);
            // A poster whose lease expired lands its one pending store: the argument, say.
            raw.mapping().set(ValueLayout.JAVA_DOUBLE, SegmentDescriptor.COMMAND_ARGS_OFFSET, 1e308);
            assertNull(writer.takeCommand(), "a command overwritten after it was sealed was obeyed");
            try (FrameReader reader = FrameReader.open(path)) {
                CommandRecord logged = reader.commandLog().getFirst();
                assertEquals(CommandRecord.DISCARDED, logged.result());
                assertTrue(client.resultMessage(logged.command().seq()).orElseThrow().contains("seal"));
            }
        }
    }

    @Test
    void theSealCoversEveryWordAndTheSeq() {
        long[] words = new long[CommandSeal.WORDS];
        for (int i = 0; i < words.length; i++) {
            words[i] = i * 7919L;
        }
        long seal = CommandSeal.of(5, words);
        assertTrue(CommandSeal.of(6, words) != seal, "the seq is not covered");
        for (int i = 0; i < words.length; i++) {
            long[] changed = words.clone();
            changed[i] ^= 1L << (i % 64);
            assertTrue(CommandSeal.of(5, changed) != seal, "word " + i + " is not covered");
        }
    }

    @Test
    void anExitedWriterIsNoOneToSteer() throws Exception {
        Path path = dir.resolve("gone.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T").withKeep(true))) {
            writer.beginFrame();
            writer.publish(0, 0, "");
        }
        try (SteeringClient client = SteeringClient.open(path)) {
            NoWriterException e = assertThrows(NoWriterException.class,
                    () -> client.send(SteeringCode.PAUSE, "", Duration.ofSeconds(1)));
            assertTrue(e.getMessage().contains("no running writer"), e.getMessage());
        }
    }
}
