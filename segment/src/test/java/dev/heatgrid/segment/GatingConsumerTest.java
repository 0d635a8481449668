package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consumer gate within one JVM: the writer waits for a gating consumer, and never for long. */
class GatingConsumerTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private static void publishPattern(SegmentWriter writer) throws IOException {
        SegmentWriter.BackFrame back = writer.beginFrame();
        GenerationPattern.fill(back.fields().get(0), writer.layout().cells(), back.generation());
        writer.publish(back.generation(), back.generation() * 0.5, "pattern=generation\n");
    }

    @Test
    void theWriterWaitsUntilTheConsumerFinishesTheFrameItsBufferHolds() throws Exception {
        Path path = dir.resolve("wait.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(16, 16, "T").withBuffers(2));
             FrameReader reader = FrameReader.open(path);
             GatingConsumer gate = GatingConsumer.join(reader, Duration.ofSeconds(30))) {
            assertEquals(1, gate.first());
            publishPattern(writer); // 1 into buffer 1
            publishPattern(writer); // 2 into buffer 0
            // 3 would overwrite 1, which the consumer has not finished
            Future<?> third = pool.submit(() -> {
                publishPattern(writer);
                return null;
            });
            GateStatus status = awaitWaiting(reader);
            assertEquals(3, status.waitingGeneration());
            assertEquals(ProcessHandle.current().pid(), status.waitingPid());
            assertEquals(1, status.members().size());
            assertEquals("gating", status.members().get(0).state());
            assertFalse(third.isDone(), "the writer overwrote a frame the consumer still needed");

            Frame frame = Frame.shapedFor(reader.layout());
            assertTrue(reader.copyGeneration(1, frame));
            assertEquals(1, GenerationPattern.wholeGeneration(frame.field(0)));
            gate.finished(1);
            third.get(10, TimeUnit.SECONDS);
            assertEquals(3, writer.generation());
            GateStatus after = GateStatus.of(reader);
            assertEquals(0, after.waitingGeneration());
            assertEquals(1, after.waits());
            assertTrue(reader.copyGeneration(2, frame), "generation 2 is kept until the consumer finishes it");
            assertFalse(reader.copyGeneration(1, frame), "generation 1 was overwritten after it was finished");
        }
    }

    @Test
    void leavingTheGateReleasesAWaitingWriter() throws Exception {
        Path path = dir.resolve("leave.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T").withBuffers(2));
             FrameReader reader = FrameReader.open(path)) {
            GatingConsumer gate = GatingConsumer.join(reader, Duration.ofSeconds(30));
            publishPattern(writer);
            publishPattern(writer);
            Future<?> third = pool.submit(() -> {
                publishPattern(writer);
                return null;
            });
            awaitWaiting(reader);
            gate.close();
            third.get(10, TimeUnit.SECONDS);
            assertTrue(GateStatus.of(reader).members().isEmpty());
            assertEquals(0, GateStatus.of(reader).drops());
        }
    }

    @Test
    void aConsumerThatStallsPastItsBoundIsDroppedAndTheRunGoesOn() throws Exception {
        Path path = dir.resolve("stall.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T").withBuffers(3));
             FrameReader reader = FrameReader.open(path);
             GatingConsumer gate = GatingConsumer.join(reader, Duration.ofMillis(200))) {
            for (int i = 0; i < 20; i++) {
                publishPattern(writer); // the 4th waits 200 ms for the frozen consumer, then goes on
            }
            assertEquals(20, writer.generation());
            assertTrue(gate.dropped());
            assertTrue(gate.dropReason().contains("did not advance within its gate timeout (200 ms)"), gate.dropReason());
            assertTrue(gate.dropReason().contains("generation 4"), gate.dropReason());
            GateStatus status = GateStatus.of(reader);
            assertEquals(1, status.drops());
            assertEquals("dropped", status.members().get(0).state());
            assertEquals("stalled", status.members().get(0).dropReason());
        }
    }

    @Test
    void aSlowConsumerPacesTheWriterAndLosesNothing() throws Exception {
        Path path = dir.resolve("pace.hgrid");
        int frames = 500;
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(32, 32, "T").withBuffers(2));
             FrameReader reader = FrameReader.open(path);
             GatingConsumer gate = GatingConsumer.join(reader, Duration.ofSeconds(30))) {
            Future<?> producer = pool.submit(() -> {
                for (int i = 0; i < frames; i++) {
                    publishPattern(writer);
                }
                return null;
            });
            Frame frame = Frame.shapedFor(reader.layout());
            for (long g = gate.first(); g <= frames; g++) {
                assertTrue(reader.awaitNewer(g - 1, 10, TimeUnit.SECONDS) >= g, "generation " + g + " never came");
                assertTrue(reader.copyGeneration(g, frame), "generation " + g + " was overwritten before it was read");
                assertEquals(g, GenerationPattern.wholeGeneration(frame.field(0)));
                if (g % 50 == 0) {
                    Thread.sleep(2); // now and then slower than the writer
                }
                gate.finished(g);
            }
            producer.get(10, TimeUnit.SECONDS);
            assertFalse(gate.dropped());
            assertTrue(GateStatus.of(reader).waits() > 0, "the writer never had to wait: the test proved nothing");
        }
    }

    /**
     * The join handshake (FORMAT.md §4.4) under a flat-out writer, hundreds of times: the first generation
     * a consumer is promised, and every one after it, is still there when it reads it.
     */
    @Test
    void aConsumerJoiningAFlatOutWriterGetsEveryFrameFromItsFirst() throws Exception {
        Path path = dir.resolve("join.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T").withBuffers(2));
             FrameReader reader = FrameReader.open(path)) {
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
                try {
                    while (!stop.get()) {
                        publishPattern(writer);
                    }
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            }, pool);
            Frame frame = Frame.shapedFor(reader.layout());
            try {
                for (int trial = 0; trial < 300; trial++) {
                    try (GatingConsumer gate = GatingConsumer.join(reader, Duration.ofSeconds(30))) {
                        for (long g = gate.first(); g < gate.first() + 5; g++) {
                            assertTrue(reader.awaitNewer(g - 1, 10, TimeUnit.SECONDS) >= g);
                            assertTrue(reader.copyGeneration(g, frame), "trial " + trial + ": generation " + g
                                    + " (first " + gate.first() + ") was overwritten");
                            assertEquals(g, GenerationPattern.wholeGeneration(frame.field(0)));
                            gate.finished(g);
                        }
                    }
                }
            } finally {
                stop.set(true);
                producer.get(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * FORMAT.md §4.4, joining step 3: generations published between the consumer's two looks at the
     * generation are not its to keep, so its cursor says so at once; else a writer needing one of those
     * buffers waits for a consumer that will never finish them (and may drop it as stalled).
     */
    @Test
    void aJoinHoldsNoGenerationOlderThanItsFirst() {
        MemorySegment header = MemorySegment.ofArray(new long[SegmentDescriptor.HEADER_SIZE / Long.BYTES]);
        ConsumerTable table = new ConsumerTable(header, 0);
        long[] looks = {5, 8}; // the writer published 6, 7 and 8 between the claim and the second look
        int[] look = {0};
        GatingConsumer.Entry entry = GatingConsumer.enter(table, 3, ProcessIdentity.current(), 1_000_000,
                () -> looks[look[0]++]);
        assertEquals(8, entry.first());
        assertEquals(7, table.cursor(3), "the cursor must say 5..7 are not needed");
        WriterGate gate = new WriterGate(table, null, 2, () -> { });
        assertEquals(-1, gate.firstBlocking(7 + 2), "the writer would wait to overwrite generation 7");
        assertEquals(3, gate.firstBlocking(8 + 2), "generation 8, the first promised, must be kept");
    }

    @Test
    void aSegmentFromAWriterBeforeTheGateIsRefused() throws Exception {
        Path path = dir.resolve("old.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"))) {
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 0),
                        SegmentDescriptor.MINOR_VERSION_OFFSET);
            }
            try (FrameReader reader = FrameReader.open(path)) {
                IOException e = assertThrows(IOException.class, () -> GatingConsumer.join(reader, Duration.ofSeconds(1)));
                assertTrue(e.getMessage().contains("format 1.0"), e.getMessage());
            }
            assertEquals(0, writer.generation());
        }
    }

    @Test
    void fifteenConsumersFitAndTheSixteenthIsToldWhy() throws Exception {
        Path path = dir.resolve("full.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             FrameReader reader = FrameReader.open(path)) {
            var gates = new java.util.ArrayList<GatingConsumer>();
            try {
                for (int i = 0; i < SegmentDescriptor.CONSUMER_SLOTS; i++) {
                    gates.add(GatingConsumer.join(reader, Duration.ofSeconds(1)));
                }
                IOException e = assertThrows(IOException.class, () -> GatingConsumer.join(reader, Duration.ofSeconds(1)));
                assertTrue(e.getMessage().contains("all 15 gating consumer slots"), e.getMessage());
                assertEquals(15, GateStatus.of(reader).members().size());
            } finally {
                for (GatingConsumer gate : gates) {
                    gate.close();
                }
            }
            assertTrue(GateStatus.of(reader).members().isEmpty());
            assertEquals(0, writer.generation());
        }
    }

    private static GateStatus awaitWaiting(FrameReader reader) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            GateStatus status = GateStatus.of(reader);
            if (status.waitingGeneration() != 0) {
                return status;
            }
            Thread.sleep(1);
        }
        throw new TimeoutException("the writer never said it was waiting for the consumer");
    }
}
