package dev.heatgrid.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.heatgrid.segment.testsupport.JvmProcess;
import dev.heatgrid.segment.testsupport.ShmTempDir;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The robust lock: a dead owner's lock is recovered, a live owner's never is; steering goes through it. */
class SharedLockTest {
    @TempDir(factory = ShmTempDir.class)
    Path dir;

    @Test
    void recoversTheLockOfADeadProcessAndLeavesALiveOneAlone() throws Exception {
        Path path = dir.resolve("lock.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             SegmentFile raw = SegmentFile.open(path, SegmentFile.Access.READ_WRITE, false)) {
            long deadToken = deadProcessToken();
            raw.mapping().set(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET, deadToken);
            writer.beginFrame();
            writer.publish(0, 0, "");  // must not wedge
            assertEquals(1, writer.lockRecoveries());
            assertEquals(0, raw.mapping().get(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET));

            long parent = ProcessHandle.current().parent().orElseThrow().pid();
            long liveToken = ProcessIdentity.of(parent).orElseThrow().lockToken();
            raw.mapping().set(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET, liveToken);
            SharedLock lock = new SharedLock(raw.mapping(), path, raw.layout().segmentId());
            SegmentBusyException e = assertThrows(SegmentBusyException.class,
                    () -> lock.lock(TimeUnit.MILLISECONDS.toNanos(100)));
            assertEquals(parent, e.ownerPid());
            assertEquals(liveToken, raw.mapping().get(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET));
            raw.mapping().set(ValueLayout.JAVA_LONG, SegmentDescriptor.LOCK_OFFSET, 0L);
        }
    }

    @Test
    void aWriterBlockedByASteeringClientThatDiesRecoversTheLockAndGoesOn() throws Exception {
        Path path = dir.resolve("blocked.hgrid");
        try (JvmProcess writer = JvmProcess.start(PatternWriterMain.class, path.toString(), "32", "32", "2", "120")) {
            writer.awaitLine("READY", java.time.Duration.ofSeconds(30));
            try (FrameReader reader = FrameReader.open(path);
                 JvmProcess holder = JvmProcess.start(LockHolderMain.class, path.toString())) {
                holder.awaitLine("LOCKED", java.time.Duration.ofSeconds(30));
                long blocked = reader.generation();
                Thread.sleep(200);
                // A live holder is never robbed: the writer waits (at most the publish it was in).
                assertTrue(reader.generation() <= blocked + 1, "the writer published through a held lock");
                assertEquals(holder.pid(), reader.lockOwnerPid());
                holder.kill();
                long after = reader.awaitNewer(blocked + 1, 10, TimeUnit.SECONDS);
                assertTrue(after > blocked + 1, "the writer did not recover the lock of the dead client");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!writer.stderr().contains("from dead process pid " + holder.pid()) && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertTrue(writer.stderr().contains("from dead process pid " + holder.pid()), writer.stderr());
            }
        }
    }

    @Test
    void aReusedPidIsNotTheOldOwner() {
        ProcessIdentity me = ProcessIdentity.current();
        assertTrue(me.isAlive());
        assertTrue(ProcessIdentity.isLockTokenAlive(me.lockToken()));
        assertFalse(new ProcessIdentity(me.pid(), me.startToken() + 1).isAlive());
        assertFalse(ProcessIdentity.isLockTokenAlive(new ProcessIdentity(me.pid(), me.startToken() + 1).lockToken()));
    }

    @Test
    void steeringCommandsRoundTripThroughTheControlArea() throws Exception {
        Path path = dir.resolve("steer.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T"));
             SteeringClient client = SteeringClient.open(path);
             FrameReader reader = FrameReader.open(path)) {
            assertEquals(null, writer.takeCommand());
            long seq = client.post(SteeringCode.SET, "alpha", 1, TimeUnit.SECONDS, 2.5);
            SteeringCommand command = writer.takeCommand();
            assertEquals(seq, command.seq());
            assertEquals(SteeringCode.SET, command.code());
            assertEquals("alpha", command.key());
            assertEquals(2.5, command.arg(0));
            assertEquals(ProcessHandle.current().pid(), command.posterPid());
            assertEquals(null, writer.takeCommand());
            writer.recordCommand(command, 42, CommandOutcome.applied("alpha 1.0 -> 2.5"));

            CommandRecord record = client.awaitResult(seq, 1, TimeUnit.SECONDS).orElseThrow();
            assertEquals("alpha 1.0 -> 2.5", client.resultMessage(seq).orElseThrow());
            assertEquals(42, record.step());
            assertTrue(record.applied());
            assertEquals(record, reader.commandLog().getFirst());

            // The log keeps the newest 16; older entries roll off.
            for (int i = 0; i < 20; i++) {
                long s = client.post(SteeringCode.HEAT, "", 1, TimeUnit.SECONDS, i, 2, 3, 4);
                writer.recordCommand(writer.takeCommand(), 100 + i, CommandOutcome.refused("refusal " + i));
                assertEquals(s, reader.commandLog().getFirst().command().seq());
            }
            assertEquals(SegmentDescriptor.LOG_ENTRIES, reader.commandLog().size());
            assertEquals(119, reader.commandLog().getFirst().step());
        }
    }

    @Test
    void steeringAnExitedWriterFailsClearly() throws Exception {
        Path path = dir.resolve("gone.hgrid");
        try (SegmentWriter writer = SegmentWriter.create(path, SegmentSpec.of(8, 8, "T").withKeep(true))) {
            writer.beginFrame();
            writer.publish(0, 0, "");
        }
        try (SteeringClient client = SteeringClient.open(path)) {
            var e = assertThrows(java.io.IOException.class,
                    () -> client.post(SteeringCode.PAUSE, "", 1, TimeUnit.SECONDS));
            assertTrue(e.getMessage().contains("no running writer"), e.getMessage());
        }
    }

    /** The lock token of a process that has exited and been reaped. */
    private static long deadProcessToken() throws Exception {
        JvmProcess child = JvmProcess.start(TryWriterMain.class, "/nonexistent/segment");
        long pid = child.pid();
        child.waitFor(java.time.Duration.ofSeconds(30));
        child.close();
        assertFalse(ProcessIdentity.of(pid).isPresent());
        return new ProcessIdentity(pid, 12345).lockToken();
    }
}
