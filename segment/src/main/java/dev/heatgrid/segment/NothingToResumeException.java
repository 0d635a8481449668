package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.file.Path;

/** A segment whose writer stopped before publishing its first frame: there is nothing to continue from. */
public final class NothingToResumeException extends IOException {
    private static final long serialVersionUID = 1L;

    public NothingToResumeException(Path file) {
        super("segment " + file + " has no published frame to continue from (its writer stopped before publishing the"
                + " first one); create it again instead");
    }
}
