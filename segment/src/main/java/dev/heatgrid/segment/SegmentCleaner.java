package dev.heatgrid.segment;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
     * Cleans every segment in {@code directory}: {@code *.hgrid} files and any other regular file that
     * starts with the segment magic (a segment created under a path without the extension), and
     * abandoned half-created ones.
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
                if (creating.matches()) {
                    outcomes.add(cleanAbandonedCreation(file, Long.parseLong(creating.group(1)), dryRun));
                } else if (name.endsWith(SegmentNames.EXTENSION) || startsWithMagic(file)) {
                    outcomes.add(cleanSegment(file, includeKept, dryRun));
                }
            }
        }
        outcomes.sort(java.util.Comparator.comparing(Outcome::path));
        return outcomes;
    }

    /** Whether a file's first 8 bytes are the segment magic; false if it cannot be read. */
    private static boolean startsWithMagic(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer magic = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            while (magic.hasRemaining() && channel.read(magic, magic.position()) > 0) {
                // a short read is legal: keep reading
            }
            return !magic.hasRemaining() && magic.getLong(0) == SegmentDescriptor.MAGIC;
        } catch (IOException e) {
            return false;
        }
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
        if (SegmentFile.isAttachedInThisProcess(file)) {
            return new Outcome(file, Action.IN_USE, "attached by this process");
        }
        Object key = SegmentFile.fileKey(file);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return new Outcome(file, Action.SKIPPED, "cannot open it for writing (" + e.getClass().getSimpleName()
                    + "): only its owner can remove it");
        }
        try (channel) {
            SegmentLayout layout;
            try {
                layout = SegmentFile.readLayout(channel, file);
            } catch (SegmentFormatException e) {
                return new Outcome(file, Action.SKIPPED, "not a valid segment: " + e.getMessage());
            }
            if (!key.equals(SegmentFile.fileKey(file))) {
                return new Outcome(file, Action.IN_USE, "replaced while being checked");
            }
            SegmentFile.Removal removal = SegmentFile.removeIfUnattached(channel, file,
                    !layout.spec().keep() || includeKept, dryRun, key);
            return switch (removal) {
                case REMOVED -> new Outcome(file, Action.REMOVED, "no process attached");
                case ATTACHED -> new Outcome(file, Action.IN_USE, "attached: " + describeAttached(file));
                case NOT_ALLOWED -> new Outcome(file, Action.KEPT, "created with --keep; no process attached");
            };
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
