package dev.heatgrid.solver;

/**
 * A run cannot be set up as asked, because of one setting: it disagrees with the segment being
 * resumed, with another setting, or names something that is not there. The message speaks of the
 * setting and its values; {@link #setting()} (and {@link #parameter()}) say which, so a front end
 * can point at its own option for it.
 */
public final class SetupException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The settings of a {@link SolverConfig} a failure can be about. */
    public enum Setting { KERNEL, KERNEL_JAR, SIZE, SPACING, BOUNDARY, PARAMETER, DT, HEATER, INITIAL, BUFFERS, KEEP }

    private final Setting setting;
    private final String parameter;

    public SetupException(Setting setting, String message) {
        this(setting, null, message);
    }

    /** For {@link Setting#PARAMETER}: {@code parameter} names the kernel parameter. */
    public SetupException(Setting setting, String parameter, String message) {
        super(message);
        this.setting = setting;
        this.parameter = parameter;
    }

    public Setting setting() {
        return setting;
    }

    /** The kernel parameter at fault, for {@link Setting#PARAMETER}; else null. */
    public String parameter() {
        return parameter;
    }
}
