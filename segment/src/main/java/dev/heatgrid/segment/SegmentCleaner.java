package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes segments that nobody uses any more: files left behind when every process attached to them
 * died. A segment some live process holds is never touched (the test is the same exclusive fcntl
 * lock the last leaving process takes); a segment created to be kept is left alone unless asked.
 */
public final class SegmentCleaner {
    private static final Pattern CREATING = Pattern.compile("\\..+\\.creating-(\\d+)-[0-9a-f]+");

    /** What happened to one file. */
    public enum Action {
        /** Nobody was attached: removed (or would be, in a dry run). */
        REMOVED,
        /** Some live process is attached. */
        IN_USE,
        /** Created with keep; pass includeKept to remove it. */
        KEPT,
        /** Not a readable heatgrid segment, or not ours to remove. */
        SKIPPED
    }

    /**
     * One file's outcome.
     *
     * @param path   the file
     * @param action what happened
     * @param detail why, for the user
     */
    public record Outcome(Path path, Action action, String detail) {
    }

    private SegmentCleaner() {
    }

    /**
     * Cleans every {@code *.hgrid} segment (and abandoned half-created one) in {@code directory}. A
     * file that cannot be looked at or removed (another user's, say) is reported as skipped, and
     * cleaning goes on with the others.
     */
    public static List<Outcome> clean(Path directory, boolean includeKept, boolean dryRun) throws IOException {
        var outcomes = new ArrayList<Outcome>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                Matcher creating = CREATING.matcher(name);
                try {
                    if (creating.matches()) {
                        outcomes.add(cleanAbandonedCreation(file, Long.parseLong(creating.group(1)), dryRun));
                    } else if (name.endsWith(SegmentNames.EXTENSION)) {
                        outcomes.add(cleanSegment(file, includeKept, dryRun));
                    }
                } catch (NoSuchFileException e) {
                    // removed by someone else meanwhile: nothing to report
                } catch (IOException e) {
                    outcomes.add(new Outcome(file, Action.SKIPPED, describe(e) + ownerNote(file)));
                }
            }
        }
        outcomes.sort(java.util.Comparator.comparing(Outcome::path));
        return outcomes;
    }

    private static Outcome cleanAbandonedCreation(Path file, long pid, boolean dryRun) throws IOException {
        if (ProcessIdentity.of(pid).isPresent()) {
            return new Outcome(file, Action.IN_USE, "being created by pid " + pid);
        }
        if (!dryRun) {
            Files.deleteIfExists(file);
        }
        return new Outcome(file, Action.REMOVED, "half-created by pid " + pid + ", which is gone");
    }

    private static Outcome cleanSegment(Path file, boolean includeKept, boolean dryRun) throws IOException {
        if (Attachments.isAttachedInThisProcess(file)) {
            return new Outcome(file, Action.IN_USE, "attached by this process");
        }
        SafeOpen.Opened opened;
        try {
            opened = SafeOpen.open(file, true);
        } catch (AccessDeniedException e) {
            return new Outcome(file, Action.SKIPPED, "cannot open it for writing" + ownerNote(file));
        }
        try (FileChannel channel = opened.channel()) {
            SegmentLayout layout;
            try {
                layout = SegmentFile.readLayout(channel, file);
            } catch (SegmentFormatException e) {
                return new Outcome(file, Action.SKIPPED, "not a valid segment: " + e.getMessage());
            }
            if (!opened.key().equals(Attachments.fileKey(file))) {
                return new Outcome(file, Action.IN_USE, "replaced while being checked");
            }
            Attachments.Removal removal = Attachments.removeIfUnattached(channel, file,
                    !layout.spec().keep() || includeKept, dryRun, opened.key());
            return switch (removal) {
                case REMOVED -> new Outcome(file, Action.REMOVED, "no process attached");
                case ATTACHED -> new Outcome(file, Action.IN_USE, "attached: " + describeAttached(file));
                case NOT_ALLOWED -> new Outcome(file, Action.KEPT, "kept by its run; no process attached");
            };
        }
    }

    private static String describe(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "no permission to remove it";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** "; it belongs to user X: only they (or root) can remove it", when the file is not ours. */
    private static String ownerNote(Path file) {
        try {
            String owner = Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName();
            String me = System.getProperty("user.name");
            return owner.equals(me) ? "" : "; it belongs to user '" + owner + "': only they (or root) can remove it";
        } catch (IOException | UnsupportedOperationException e) {
            return "";
        }
    }

    private static String describeAttached(Path file) {
        try {
            List<AttachedProcesses.Attached> attached = AttachedProcesses.of(file);
            if (attached.isEmpty()) {
                return "by a live process";
            }
            var pids = new ArrayList<String>();
            for (AttachedProcesses.Attached a : attached) {
                pids.add(a.pid() + (a.writer() ? " (writer)" : ""));
            }
            return "pid " + String.join(", ", pids);
        } catch (IOException e) {
            return "by a live process";
        }
    }
}
