package dev.heatgrid.segment;

import java.util.Arrays;

/**
 * A command posted into a segment's control area.
 *
 * @param seq       number the poster got for it (1, 2, ... per segment)
 * @param code      what to do; null if the poster used a code this version does not know
 * @param rawCode   the stored code word
 * @param key       parameter name for {@link SteeringCode#SET}, else empty
 * @param args      up to {@link SegmentDescriptor#COMMAND_ARG_COUNT} numeric arguments
 * @param posterPid pid of the process that posted it
 */
public record SteeringCommand(long seq, SteeringCode code, int rawCode, String key, double[] args, long posterPid) {
    public SteeringCommand {
        args = Arrays.copyOf(args, SegmentDescriptor.COMMAND_ARG_COUNT);
    }

    @Override
    public double[] args() {
        return args.clone();
    }

    /** Argument {@code i}. */
    public double arg(int i) {
        return args[i];
    }

    @Override
    public String toString() {
        if (code == SteeringCode.SET) {
            return "set " + key + "=" + args[0];
        }
        if (code == SteeringCode.HEAT) {
            return "heat " + args[0] + "," + args[1] + "," + args[2] + "," + args[3];
        }
        return code == null ? "code " + rawCode : code.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SteeringCommand c && c.seq == seq && c.rawCode == rawCode && c.key.equals(key)
                && Arrays.equals(c.args, args) && c.posterPid == posterPid;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + rawCode;
    }
}
