package dev.heatgrid.segment;

/**
 * The writer as readers see it.
 *
 * @param pid           writer's pid (0 if none ever attached)
 * @param startToken    writer's start-time token, see {@link ProcessIdentity}
 * @param alive         whether that exact process still runs
 * @param state         what the writer last said it was doing
 * @param heartbeatAgeNanos time since the writer's last heartbeat (Long.MAX_VALUE if none)
 */
public record WriterStatus(long pid, long startToken, boolean alive, WriterState state, long heartbeatAgeNanos) {
}
