package dev.heatgrid.segment;

import java.util.concurrent.TimeUnit;

/**
 * The writer as a reader sees it, read from the writer record by {@link WriterRecord}, and the one
 * rule that turns it into "running", "not responding", "gone" and so on. Viewers, the CLI and
 * steering clients all ask {@link #liveness()}, so they never disagree about a writer.
 *
 * @param pid               writer's pid (0 if none ever attached)
 * @param startToken        writer's start-time token, see {@link ProcessIdentity}
 * @param run               how many writers have claimed the record so far (1 for the creator, +1 per resume)
 * @param alive             whether that exact process (pid and start token) still runs
 * @param state             what the writer last said it was doing
 * @param heartbeatAgeNanos time since the writer's last heartbeat (Long.MAX_VALUE if none)
 */
public record WriterStatus(long pid, long startToken, long run, boolean alive, WriterState state,
                           long heartbeatAgeNanos) {
    /**
     * A writer heartbeats at least every publish and every 100 ms while paused (docs/FORMAT.md §2.2);
     * this much silence from a live writer means it is stopped or stuck.
     */
    public static final long NOT_RESPONDING_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What can be said about the writer, from the record and the process table. */
    public enum Liveness {
        /** No writer has claimed the segment yet. */
        NONE,
        /** Stepping and publishing, with a recent heartbeat. */
        RUNNING,
        /** Alive, taking commands, not stepping, with a recent heartbeat. */
        PAUSED,
        /** Its process exists and has not exited, but it has not heartbeated for {@link #NOT_RESPONDING_AFTER_NANOS}. */
        NOT_RESPONDING,
        /** Left cleanly: the last published frame is final. */
        EXITED,
        /** Its process no longer exists but it never said it was leaving: killed or crashed. */
        GONE
    }

    /** The one liveness rule. */
    public Liveness liveness() {
        if (state == WriterState.EXITED) {
            return Liveness.EXITED;
        }
        if (pid == 0 || state == WriterState.NONE) {
            return Liveness.NONE;
        }
        if (!alive) {
            return Liveness.GONE;
        }
        if (heartbeatAgeNanos > NOT_RESPONDING_AFTER_NANOS) {
            return Liveness.NOT_RESPONDING;
        }
        return state == WriterState.PAUSED ? Liveness.PAUSED : Liveness.RUNNING;
    }

    /** Whether this writer may still publish or take commands: its process runs and it has not exited. */
    public boolean canPublish() {
        return alive && pid != 0 && state != WriterState.EXITED && state != WriterState.NONE;
    }

    /** Whether no more frames will come from this writer: it exited, or its process is gone. */
    public boolean finished() {
        Liveness l = liveness();
        return l == Liveness.EXITED || l == Liveness.GONE;
    }

    /** The writer run a steering command must be addressed to. */
    public WriterRun writerRun() {
        return new WriterRun(pid, startToken, run);
    }
}
