package dev.heatgrid.segment;

/**
 * How a new segment file is created.
 *
 * @param replaceKept replace an existing segment even if an earlier run kept it (its frames are lost)
 * @param group       if non-null, the file belongs to this group and is group-readable (mode 0640)
 *                    instead of owner-only (0600)
 */
public record CreateOptions(boolean replaceKept, String group) {
    public static final CreateOptions DEFAULT = new CreateOptions(false, null);

    public CreateOptions {
        if (group != null && group.isBlank()) {
            throw new IllegalArgumentException("group name is empty");
        }
    }
}
