package dev.heatgrid.tiles;

import io.aeron.CncFileDescriptor;
import io.aeron.CommonContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A media driver someone else started (a standalone {@code java io.aeron.driver.MediaDriver}),
 * named by its directory. Checked before the run uses it: an Aeron client pointed at a directory
 * without a driver waits the whole driver timeout (10 s) and then fails with Aeron's own words
 * ("CnC file not created"), once per tile; this says at once, once, what is missing.
 */
final class RunningDriver {
    /** Aeron's default: a driver whose heartbeat is older than this is gone. */
    private static final long DRIVER_TIMEOUT_MS = CommonContext.DEFAULT_DRIVER_TIMEOUT_MS;

    private RunningDriver() {
    }

    /** Throws, naming {@code dir} and what is missing there, unless a live media driver runs in it. */
    static void require(Path dir) throws IOException {
        Path cnc = dir.resolve(CncFileDescriptor.CNC_FILE);
        String start = ": start one there (java -Daeron.dir=" + dir + " io.aeron.driver.MediaDriver), or let the run"
                + " start its own";
        if (!Files.isDirectory(dir)) {
            throw new IOException("no Aeron media driver runs in " + dir + " (no such directory)" + start);
        }
        if (!Files.isRegularFile(cnc)) {
            throw new IOException("no Aeron media driver runs in " + dir + " (it holds no " + CncFileDescriptor.CNC_FILE
                    + ")" + start);
        }
        boolean active;
        try {
            active = CommonContext.isDriverActive(dir.toFile(), DRIVER_TIMEOUT_MS, line -> { });
        } catch (RuntimeException e) { // not a CnC file Aeron can read (another version, damaged)
            throw new IOException("no Aeron media driver runs in " + dir + " (" + cnc + ": " + e.getMessage() + ")" + start);
        }
        if (!active) {
            throw new IOException("no Aeron media driver runs in " + dir + " (its driver has given no sign of life for "
                    + TimeUnit.MILLISECONDS.toSeconds(DRIVER_TIMEOUT_MS) + " s: it ended or was killed)" + start);
        }
    }
}
