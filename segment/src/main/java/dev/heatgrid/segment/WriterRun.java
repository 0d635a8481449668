package dev.heatgrid.segment;

/**
 * One writer's tenure of a segment: its process (pid and start token) and the run number it got
 * when it claimed the writer record. A steering command is addressed to exactly one writer run,
 * so a resumed writer (another process, or the same process claiming the record again) never
 * obeys a command posted to its predecessor.
 *
 * @param pid        the writer's pid
 * @param startToken the writer's start-time token, see {@link ProcessIdentity}
 * @param run        the writer run number from the writer record
 */
public record WriterRun(long pid, long startToken, long run) {
    @Override
    public String toString() {
        return "pid " + pid + " (run " + run + ")";
    }
}
