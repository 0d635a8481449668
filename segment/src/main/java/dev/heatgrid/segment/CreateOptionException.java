package dev.heatgrid.segment;

import java.io.IOException;

/**
 * A {@link CreateOptions} value that cannot be honoured here, e.g. a group that does not exist or
 * a group on a file system without POSIX groups. {@link #option()} names the field.
 */
public final class CreateOptionException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String option;

    public CreateOptionException(String option, String message, Throwable cause) {
        super(message, cause);
        this.option = option;
    }

    /** The {@link CreateOptions} field at fault, e.g. {@code "group"}. */
    public String option() {
        return option;
    }
}
