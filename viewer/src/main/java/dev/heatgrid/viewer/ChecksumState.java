package dev.heatgrid.viewer;

/**
 * Whether the frames read lately matched their checksums.
 *
 * @param failedGeneration the newest generation that failed, 0 if none has since the last good one
 * @param failures         frames that failed since attaching
 * @param problem          the last failure's message, or null
 */
public record ChecksumState(long failedGeneration, long failures, String problem) {
    public static final ChecksumState NONE = new ChecksumState(0, 0, null);

    public boolean failing() {
        return failedGeneration != 0;
    }

    public ChecksumState failed(long generation, String message) {
        return new ChecksumState(generation, failures + 1, message);
    }

    public ChecksumState passed() {
        return failedGeneration == 0 ? this : new ChecksumState(0, failures, problem);
    }

    @Override
    public String toString() {
        if (failing()) {
            return "checksum FAILED at generation " + failedGeneration + " (showing the last good frame)";
        }
        return failures == 0 ? "checksum ok" : "checksum ok (" + failures + " bad frame" + (failures == 1 ? "" : "s")
                + " skipped)";
    }
}
