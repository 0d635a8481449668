package dev.heatgrid.segment;

import java.nio.file.AccessDeniedException;
import java.nio.file.Path;

/**
 * A segment belongs to another user and the caller did not accept that. Opening it anyway is a
 * decision for the user (their tools and the solver can read what another user writes), so the
 * library refuses by default and names both users.
 */
public final class SegmentOwnerException extends AccessDeniedException {
    private static final long serialVersionUID = 1L;

    private final String owner;
    private final String user;

    public SegmentOwnerException(Path file, String owner, String user) {
        super(file.toString(), null, "segment " + file + " belongs to user '" + owner + "', not to '" + user + "'");
        this.owner = owner;
        this.user = user;
    }

    /** The file's owner. */
    public String owner() {
        return owner;
    }

    /** The user this process runs as. */
    public String user() {
        return user;
    }
}
