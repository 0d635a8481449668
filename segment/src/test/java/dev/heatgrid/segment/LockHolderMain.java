package dev.heatgrid.segment;

import java.nio.file.Path;

/**
 * Child JVM: a steering client caught mid-command. Takes the segment's shared lock, writes half a
 * command into the slot (not announced: the seq is stored last), prints LOCKED and waits to be
 * killed while still holding the lock. Args: path.
 */
public final class LockHolderMain {
    public static void main(String[] args) throws Exception {
        try (SegmentFile file = SegmentFile.open(Path.of(args[0]), SegmentFile.Access.READ_WRITE, false)) {
            SharedLock lock = new SharedLock(file.mapping(), file.path(), file.layout().segmentId());
            lock.lock(Long.MAX_VALUE);
            file.mapping().set(SegmentLayout.U32, SegmentDescriptor.COMMAND_CODE_OFFSET, SteeringCode.STOP.code());
            System.out.println("LOCKED " + ProcessHandle.current().pid());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }
}
