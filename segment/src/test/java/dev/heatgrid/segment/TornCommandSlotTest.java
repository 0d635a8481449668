package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The writer obeys exactly the command its seal covers. A poster whose lease expired may still make
 * one store into the slot (SharedLock, point 3); here a thread keeps storing into the first argument
 * while the writer takes commands. Every command the writer accepts must carry the argument that was
 * sealed: the seal is checked on the very words the command is built from, not on an earlier read.
 */
class TornCommandSlotTest {
    private static final VarHandle WORD = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    private static final int ROUNDS = 3000;

    @Test
    void anAcceptedCommandCarriesTheSealedArgumentsWhileAStalePosterStoresIntoTheSlot() throws Exception {
        MemorySegment header = Arena.ofAuto().allocate(SegmentDescriptor.HEADER_SIZE, SegmentDescriptor.PAGE_SIZE);
        SharedLock lock = new SharedLock(header, Path.of("test"), new ReentrantLock(), ProcessIdentity.current().lockToken(),
                TimeUnit.SECONDS.toNanos(30));
        ControlArea control = new ControlArea(header, Path.of("test"));
        long pid = ProcessHandle.current().pid();
        WriterRun me = new WriterRun(pid, 7, 1);
        long sealed = Double.doubleToRawLongBits(1.0);
        long stale = Double.doubleToRawLongBits(99.0);
        AtomicBoolean stop = new AtomicBoolean();
        Thread stalePoster = Thread.ofPlatform().start(() -> {
            while (!stop.get()) {
                WORD.setOpaque(header, (long) SegmentDescriptor.COMMAND_ARGS_OFFSET, stale);
                WORD.setOpaque(header, (long) SegmentDescriptor.COMMAND_ARGS_OFFSET, sealed);
            }
        });
        int accepted = 0;
        int discarded = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                lock.lock(Long.MAX_VALUE, () -> false);
                try {
                    long now = System.nanoTime();
                    long seq = control.post(lock, new ControlArea.Post(SteeringCode.SET, "alpha", new double[] {1.0},
                            pid, me, now, now + TimeUnit.SECONDS.toNanos(60)));
                    assertTrue(seq > 0, "round " + round + ": the slot was not free");
                    ControlArea.Take take = control.take(me);
                    if (take.accepted()) {
                        accepted++;
                        assertEquals(1.0, take.command().args()[0],
                                "round " + round + ": obeyed an argument the seal does not cover");
                    } else {
                        discarded++;
                        assertTrue(take.discardReason().contains("seal"), take.discardReason());
                    }
                } finally {
                    lock.unlock();
                }
            }
        } finally {
            stop.set(true);
            stalePoster.join();
        }
        System.out.printf("torn command slot: %d rounds, %d accepted with the sealed argument, %d discarded by the seal%n",
                ROUNDS, accepted, discarded);
        assertTrue(accepted > 0, "no command was ever accepted: the test showed nothing");
    }
}
