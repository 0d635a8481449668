package dev.heatgrid.viewer;

import dev.heatgrid.segment.CommandRecord;
import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.SegmentGoneException;
import dev.heatgrid.segment.WriterStatus;
import java.util.List;

/**
 * What a reader following a segment can tell about the solver writing it: its state, pid and latest
 * steering commands, read from the header. Kept while detached, so the last word stays on screen;
 * a solver whose process vanished meanwhile becomes {@link SolverState#GONE}. Used by one thread.
 */
public final class SolverWatch {
    private final int commandsKept;
    private SolverState state = SolverState.NONE;
    private long pid;
    private List<CommandRecord> commands = List.of();

    /** @param commandsKept how many of the newest steering commands to keep */
    public SolverWatch(int commandsKept) {
        this.commandsKept = commandsKept;
    }

    /** Reads the writer's state and commands through the follower's attachment (detaching it if the file was cut). */
    public void update(SegmentFollower follower) {
        FrameReader reader = follower.reader();
        if (reader == null) {
            if (pid != 0 && !state.finished() && !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                state = SolverState.GONE; // detached, but we can still tell that its process ended
            }
            return;
        }
        try {
            reader.checkIntact();
            WriterStatus writer = reader.writer();
            state = SolverState.of(writer);
            pid = writer.pid();
            List<CommandRecord> log = reader.commandLog();
            commands = log.subList(0, Math.min(commandsKept, log.size()));
        } catch (SegmentGoneException e) {
            follower.lost(e);
        } catch (InternalError fault) {
            // A fault in the mapping between our size check and the read: treat it as the truncation it is.
            follower.faulted("a read of its header");
        }
    }

    public SolverState state() {
        return state;
    }

    /** The writer's pid, 0 if none ever attached. */
    public long pid() {
        return pid;
    }

    /** The newest steering commands the solver applied, newest first. */
    public List<CommandRecord> commands() {
        return commands;
    }
}
