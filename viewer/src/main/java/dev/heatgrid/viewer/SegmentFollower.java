package dev.heatgrid.viewer;

import dev.heatgrid.segment.FrameReader;
import dev.heatgrid.segment.PathState;
import dev.heatgrid.segment.SegmentFormatException;
import dev.heatgrid.segment.SegmentGoneException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a read-only attachment to whatever segment lives at a path, across the solver's life:
 * waits for the file to appear, notices when a new run replaced it and re-maps, keeps the old
 * mapping (and so the last frame) readable when the file was removed, and unmaps a truncated file.
 * Every detach closes the reader, which unmaps at once, so following forever leaks no mappings.
 *
 * <p>Used by one thread only. Public for other readers that follow a segment ({@code heatgrid serve}).
 */
public final class SegmentFollower implements AutoCloseable {
    /** What the last {@link #poll} found. */
    public enum Change {
        /** Nothing new. */
        NONE,
        /** A segment was attached: the first one, or a new run's after a replacement. */
        ATTACHED,
        /** The attachment was dropped (truncated or unreadable file); the last frame stays on screen. */
        DETACHED
    }

    /** How often to look again for a file that is missing or unreadable. */
    static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** How often to check that the path still leads to the mapped file (a stat). */
    static final long CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Path path;
    private final boolean allowOtherOwner;
    private FrameReader reader;
    private String problem;
    private long nextTry = System.nanoTime(); // nanoTime may be negative: never compare with a bare 0
    private long nextCheck = System.nanoTime();
    private long attachments;

    public SegmentFollower(Path path, boolean allowOtherOwner) {
        this.path = path;
        this.allowOtherOwner = allowOtherOwner;
        this.problem = "waiting for segment " + path + " to appear";
    }

    public Path path() {
        return path;
    }

    /** The current attachment, or null while detached. */
    public FrameReader reader() {
        return reader;
    }

    /** What is wrong with the attachment right now, in words; null if nothing is. */
    public String problem() {
        return problem;
    }

    /** How many times a segment was attached (1 for the first run, 2 after the first restart, ...). */
    public long attachments() {
        return attachments;
    }

    /** Attaches, re-attaches or detaches as the file at the path changed; cheap enough to call every frame. */
    public Change poll() {
        long now = System.nanoTime();
        if (reader == null) {
            return now - nextTry >= 0 ? tryAttach(now) : Change.NONE;
        }
        if (now - nextCheck < 0) {
            return Change.NONE;
        }
        nextCheck = now + CHECK_NANOS;
        PathState state = reader.pathState();
        switch (state) {
            case SAME -> {
                if (problem != null && problem.startsWith("segment file removed")) {
                    problem = null;
                }
                return Change.NONE;
            }
            case REMOVED -> {
                // The mapping outlives the name: keep showing (and reading) it until a new run appears.
                problem = "segment file removed; showing the last run until a new one appears at " + path;
                return Change.NONE;
            }
            default -> {
                closeReader();
                Change attached = tryAttach(now);
                return attached == Change.ATTACHED ? Change.ATTACHED : Change.DETACHED;
            }
        }
    }

    /**
     * A read of the mapping faulted (the JDK's asynchronous {@link InternalError} after SIGBUS): the
     * file was truncated under it. The one place a reader's loop turns that error into a lost segment.
     */
    public void faulted(String whatFaulted) {
        lost(new SegmentGoneException(path, whatFaulted + " faulted"));
    }

    /**
     * What a loop that follows the segment does with anything its step threw, so that it never dies
     * of a surprise: a fault of the mapping ({@link #faulted}; the error may come from a bare header
     * read, e.g. the generation) is a lost segment; any other error of the virtual machine is thrown
     * on; anything else is returned in words, for the loop to show while it carries on.
     *
     * @return what to tell the user, or null for a fault already taken as a lost segment
     */
    public String surprise(Throwable e) {
        if (e instanceof InternalError) {
            faulted("a read of it");
            return null;
        }
        if (e instanceof VirtualMachineError fatal) {
            throw fatal;
        }
        return e.toString();
    }

    /** The file was truncated under the mapping: unmap it and try again later. */
    public void lost(SegmentGoneException e) {
        closeReader();
        problem = e.getMessage() + "; keeping the last frame, re-attaching when a valid segment appears";
        nextTry = System.nanoTime() + RETRY_NANOS;
    }

    private Change tryAttach(long now) {
        nextTry = now + RETRY_NANOS;
        try {
            reader = FrameReader.open(path, allowOtherOwner);
            attachments++;
            problem = null;
            nextCheck = now + CHECK_NANOS;
            return Change.ATTACHED;
        } catch (NoSuchFileException e) {
            problem = "waiting for segment " + path + " to appear";
        } catch (SegmentFormatException | AccessDeniedException e) {
            problem = e.getMessage();
            nextTry = now + 5 * RETRY_NANOS;
        } catch (IOException | RuntimeException e) {
            problem = "cannot attach to " + path + ": " + e.getMessage();
        }
        return Change.NONE;
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                // The mapping is gone either way; nothing a viewer can do about a failed unlock.
            }
            reader = null;
        }
    }

    @Override
    public void close() {
        closeReader();
    }
}
