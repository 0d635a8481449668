package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.HEADER_SIZE;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Posts steering commands into a running writer's control area. Needs write access to the file
 * (the owner, by default), unlike readers. The slot holds one command at a time: posting waits
 * until the writer has taken the previous one.
 */
public final class SteeringClient implements AutoCloseable {
    private static final long LOCK_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final SegmentFile file;
    private final SharedLock lock;
    private final ControlArea control;
    private final FrameReader status;

    private SteeringClient(SegmentFile file, FrameReader status) {
        this.file = file;
        MemorySegment header = file.mapping().asSlice(0, HEADER_SIZE);
        this.lock = new SharedLock(header, file.path(), file.layout().segmentId());
        this.control = new ControlArea(header, file.path());
        this.status = status;
    }

    public static SteeringClient open(Path path, boolean allowOtherOwner) throws IOException {
        SegmentFile file = SegmentFile.open(path, SegmentFile.Access.READ_WRITE, allowOtherOwner);
        try {
            return new SteeringClient(file, FrameReader.open(path, allowOtherOwner));
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public static SteeringClient open(Path path) throws IOException {
        return open(path, false);
    }

    /**
     * Posts a command and returns its seq. Waits up to {@code timeout} for the writer to take the
     * previous command; fails at once if the writer is not running.
     */
    public long post(SteeringCode code, String key, long timeout, TimeUnit unit, double... args) throws IOException {
        FixedText.encode(key, SegmentDescriptor.COMMAND_KEY_CAPACITY, "parameter name");
        if (args.length > SegmentDescriptor.COMMAND_ARG_COUNT) {
            throw new IllegalArgumentException(code + " takes at most " + SegmentDescriptor.COMMAND_ARG_COUNT
                    + " arguments");
        }
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            requireLiveWriter();
            long seq;
            lock.lock(LOCK_TIMEOUT_NANOS);
            try {
                seq = control.post(code, key, args);
            } finally {
                lock.unlock();
            }
            if (seq != 0) {
                return seq;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("the writer of segment " + file.path() + " has not taken the previous command"
                        + " (seq " + control.postedSeq() + ") within " + unit.toMillis(timeout) + " ms");
            }
            sleep(1);
        }
    }

    /** Waits until the writer has logged the command {@code seq}; empty on timeout. */
    public Optional<CommandRecord> awaitResult(long seq, long timeout, TimeUnit unit) throws IOException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            for (CommandRecord record : status.commandLog()) {
                if (record.command().seq() == seq) {
                    return Optional.of(record);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                return Optional.empty();
            }
            requireLiveWriter();
            sleep(1);
        }
    }

    /** The writer's one-line explanation of command {@code seq}'s outcome, if it is still there. */
    public Optional<String> resultMessage(long seq) {
        return Optional.ofNullable(control.resultMessage(seq)).filter(m -> !m.isEmpty());
    }

    /** The writer as the header records it. */
    public WriterStatus writer() {
        return status.writer();
    }

    private void requireLiveWriter() throws IOException {
        WriterStatus writer = status.writer();
        if (!writer.alive() || writer.state() == WriterState.EXITED) {
            throw new IOException("segment " + file.path() + " has no running writer"
                    + (writer.pid() == 0 ? "" : " (pid " + writer.pid() + " " + (writer.alive() ? "has finished"
                    : "is gone") + ")") + ": nobody would apply the command");
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while steering");
        }
    }

    @Override
    public void close() throws IOException {
        try {
            status.close();
        } finally {
            file.close();
        }
    }
}
