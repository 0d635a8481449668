package dev.heatgrid.segment;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;

/**
 * Child JVM: a steering client caught mid-command. Takes the segment's shared lock, writes half a
 * command into the slot (the code word only: nothing is announced), prints {@code LOCKED <pid>
 * <nanoTime>} and keeps the lock. Tests kill it (a holder that dies), or stop it with SIGSTOP and
 * later continue it and send {@code post}: it then tries to finish posting a PAUSE to the writer
 * through the real posting code and prints {@code POSTED <seq>} or {@code NOT_POSTED <message>},
 * then {@code RELEASED <true|false>}. Args: path.
 */
public final class LockHolderMain {
    public static void main(String[] args) throws Exception {
        try (SegmentFile file = SegmentFile.open(Path.of(args[0]), SegmentFile.Access.READ_WRITE, false)) {
            var header = file.mapping().asSlice(0, SegmentDescriptor.HEADER_SIZE);
            SharedLock lock = new SharedLock(header, file.path(), file.layout().segmentId());
            ControlArea control = new ControlArea(header, file.path());
            WriterRun writer = file.writerRecord().read().writerRun();
            lock.lock(Long.MAX_VALUE, () -> false);
            file.mapping().set(SegmentLayout.U32, SegmentDescriptor.COMMAND_CODE_OFFSET, SteeringCode.STOP.code());
            System.out.println("LOCKED " + ProcessHandle.current().pid() + " " + System.nanoTime());
            System.out.flush();
            String line = new BufferedReader(new InputStreamReader(System.in)).readLine();
            if (!"post".equals(line)) {
                Thread.sleep(Long.MAX_VALUE);
            }
            long now = System.nanoTime();
            try {
                long seq = control.post(lock, new ControlArea.Post(SteeringCode.PAUSE, "", new double[0],
                        ProcessHandle.current().pid(), writer, now, now + 60_000_000_000L));
                System.out.println("POSTED " + seq);
            } catch (java.io.IOException e) {
                System.out.println("NOT_POSTED " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            System.out.println("RELEASED " + lock.unlock());
            System.out.flush();
        }
    }
}
