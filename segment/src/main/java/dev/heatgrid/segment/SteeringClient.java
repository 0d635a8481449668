package dev.heatgrid.segment;

import static dev.heatgrid.segment.SegmentDescriptor.HEADER_SIZE;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Posts steering commands into a running writer's control area and waits for their outcome. Needs
 * write access to the file (the owner, by default), unlike readers.
 *
 * <p>One exchange ({@link #send}) has one deadline that covers everything: waiting for the lock,
 * waiting for the writer to take a previous command, and waiting for this command's outcome. The
 * command carries the writer run it is for and expires at the deadline, so a command this client
 * gave up on is never obeyed later, by this writer or a resumed one (docs/FORMAT.md §7).
 */
public final class SteeringClient implements AutoCloseable {
    /**
     * How long before the client's deadline the command expires: the time a writer that takes it at
     * the last moment has to apply it and log the outcome before the client stops waiting.
     */
    private static final long OUTCOME_MARGIN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final SegmentFile file;
    private final SharedLock lock;
    private final ControlArea control;
    private final FrameReader status;

    /**
     * What became of a command.
     *
     * @param record  the writer's log entry for it
     * @param message the writer's one-line explanation (why it was applied, refused or discarded)
     */
    public record Outcome(CommandRecord record, String message) {
    }

    private SteeringClient(SegmentFile file, FrameReader status) {
        this.file = file;
        MemorySegment header = file.mapping().asSlice(0, HEADER_SIZE);
        this.lock = new SharedLock(header, file.path(), file.layout().segmentId());
        this.control = new ControlArea(header, file.path());
        this.status = status;
    }

    /** Opens a segment for steering; {@code allowOtherOwner} accepts a segment that belongs to another user. */
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
     * The whole exchange: posts a command to the running writer and waits for its outcome, all
     * within {@code timeout}.
     *
     * @throws NoWriterException          no live writer would take the command
     * @throws SteeringTimeoutException   no outcome within the timeout (says whether the writer took it)
     * @throws LeaseExpiredException      this client lost the lock while posting (it was stopped): not posted
     * @throws SegmentBusyException       the lock stayed held by a live process until the deadline
     */
    public Outcome send(SteeringCode code, String key, Duration timeout, double... args) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seq = post(code, key, deadline, args);
        return awaitOutcome(seq, code, key, args, deadline);
    }

    /**
     * Posts a command and returns its seq, waiting at most {@code timeout} (for the lock and for the
     * writer to take the previous command). The command expires after {@code timeout}.
     */
    public long post(SteeringCode code, String key, long timeout, TimeUnit unit, double... args) throws IOException {
        return post(code, key, System.nanoTime() + unit.toNanos(timeout), args);
    }

    private long post(SteeringCode code, String key, long deadline, double... args) throws IOException {
        FixedText.encode(key, SegmentDescriptor.COMMAND_KEY_CAPACITY, "parameter name");
        if (args.length > SegmentDescriptor.COMMAND_ARG_COUNT) {
            throw new IllegalArgumentException(code + " takes at most " + SegmentDescriptor.COMMAND_ARG_COUNT
                    + " arguments");
        }
        while (true) {
            WriterStatus writer = requireLiveWriter();
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new SteeringTimeoutException("the writer of segment " + file.path() + " has not taken the previous"
                        + " command (seq " + control.postedSeq() + ") in time; this command was not posted", false);
            }
            long expires = deadline - Math.min(OUTCOME_MARGIN_NANOS, (deadline - now) / 4);
            var post = new ControlArea.Post(code, key, args, ProcessHandle.current().pid(), writer.writerRun(), now,
                    expires);
            lock.lock(Math.max(0, deadline - now), () -> false);
            long seq;
            boolean kept;
            try {
                seq = control.post(lock, post);
            } finally {
                kept = lock.unlock();
            }
            if (seq != 0) {
                return seq; // announced by our CAS while we held the lock: posted, whatever happened after
            }
            if (!kept) {
                lock.checkHeld(); // lost it while looking at the slot: say so
            }
            sleep(1);
        }
    }

    /**
     * Waits until the writer has logged the command {@code seq}; empty on timeout. Prefer
     * {@link #send}, which also checks the logged command is the one this client posted.
     */
    public Optional<CommandRecord> awaitResult(long seq, long timeout, TimeUnit unit) throws IOException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            WriterStatus writer = status.writer(); // before the log: see awaitOutcome
            Optional<CommandRecord> record = logged(seq);
            if (record.isPresent() || System.nanoTime() - deadline > 0) {
                return record;
            }
            requireLive(writer);
            sleep(1);
        }
    }

    /**
     * Both loops below read the writer's state before they read the log, never after: the writer
     * logs a command (under the lock) before it can set EXITED (a release store), so a state read
     * with acquire that sees EXITED is followed by a log read that sees every command the writer
     * logged. Read the other way round, a writer that logged the command and left between the two
     * reads (a STOP obeyed as the run ends) looked like no writer at all to its poster.
     */
    private Outcome awaitOutcome(long seq, SteeringCode code, String key, double[] args, long deadline)
            throws IOException {
        while (true) {
            WriterStatus writer = status.writer();
            Optional<CommandRecord> logged = logged(seq);
            if (logged.isPresent()) {
                CommandRecord record = logged.get();
                if (!isMine(record.command(), code, key, args)) {
                    throw new LeaseExpiredException("the command slot of segment " + file.path() + " was taken over by"
                            + " another client after this one's lock lease expired; the writer logged " + record.command()
                            + " as command " + seq + " and never saw this one");
                }
                String message = control.resultMessage(seq);
                return new Outcome(record, message == null ? "" : message);
            }
            if (System.nanoTime() - deadline > 0) {
                // The writer decides expiry after storing the taken seq behind a full fence; we look at the
                // taken seq after our deadline (past the command's expiry), behind one too.
                VarHandle.fullFence();
                boolean taken = control.takenSeq() >= seq;
                throw new SteeringTimeoutException(taken
                        ? "the writer of segment " + file.path() + " took command " + seq + " but did not log its outcome"
                        + " in time; the segment's command log shows it once it does"
                        : "the writer of segment " + file.path() + " did not take command " + seq + " in time; it has"
                        + " expired and the writer will discard it", taken);
            }
            requireLive(writer);
            sleep(1);
        }
    }

    private Optional<CommandRecord> logged(long seq) {
        for (CommandRecord record : status.commandLog()) {
            if (record.command().seq() == seq) {
                return Optional.of(record);
            }
        }
        return Optional.empty();
    }

    private static boolean isMine(SteeringCommand logged, SteeringCode code, String key, double[] args) {
        return logged.posterPid() == ProcessHandle.current().pid() && logged.code() == code && logged.key().equals(key)
                && Arrays.equals(logged.args(), Arrays.copyOf(args, SegmentDescriptor.COMMAND_ARG_COUNT));
    }

    /** The writer's one-line explanation of command {@code seq}'s outcome, if it is still there. */
    public Optional<String> resultMessage(long seq) {
        return Optional.ofNullable(control.resultMessage(seq)).filter(m -> !m.isEmpty());
    }

    /** The writer as the header records it. */
    public WriterStatus writer() {
        return status.writer();
    }

    private WriterStatus requireLiveWriter() throws NoWriterException {
        return requireLive(status.writer());
    }

    private WriterStatus requireLive(WriterStatus writer) throws NoWriterException {
        if (!writer.canPublish()) {
            throw new NoWriterException(file.path(), writer);
        }
        return writer;
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while steering");
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
