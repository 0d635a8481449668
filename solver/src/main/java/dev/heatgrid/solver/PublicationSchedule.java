package dev.heatgrid.solver;

import dev.heatgrid.segment.SegmentWriter;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * Where each step of a publication interval reads and writes, so that the published frame is never
 * touched and nothing is copied per step.
 *
 * <p>An interval of k steps writes its steps alternately into the back buffer B (marked in progress
 * by {@link SegmentWriter#beginFrame}) and the private scratch frame S, arranged so that the last
 * step lands in B: for k = 3 the targets are B, S, B; for k = 4, S, B, S, B. The first step reads
 * the published frame, which therefore stays intact for readers. When a run must publish early
 * (stop, pause, a parameter change) and the newest step is in S, a flush copies S to B first.
 *
 * <p>Single-threaded: used by the run's plan between passes.
 */
final class PublicationSchedule {
    private final Solver solver;
    private final SegmentWriter writer;

    /** The frame the next step reads: the published one, or the newest unpublished step. */
    private List<MemorySegment> source;
    private SegmentWriter.BackFrame back;
    /** Steps in the current interval; 0 when none is open. */
    private int length;
    /** Steps computed since the last publication. */
    private int done;

    PublicationSchedule(Solver solver) {
        this.solver = solver;
        this.writer = solver.writer;
        this.source = solver.publishedFields();
    }

    /** The fields the next step reads. */
    List<MemorySegment> source() {
        return source;
    }

    /** Steps of the open interval computed so far. */
    int done() {
        return done;
    }

    /** Steps in the open interval. */
    int length() {
        return length;
    }

    /** Whether steps were computed that are not published yet. */
    boolean unpublished() {
        return done > 0;
    }

    /**
     * Opens an interval of {@code min(publishEvery, maxSteps)} steps (at least one) if none is open,
     * and returns the number of steps it still has to go.
     */
    int open(long maxSteps) {
        if (done == 0) {
            length = (int) Math.min(solver.publishEvery, Math.max(1, maxSteps));
            back = writer.beginFrame();
        }
        return length - done;
    }

    /** Where step {@code j} (1 .. length) of the open interval is written: the last one, and every second before it, in B. */
    List<MemorySegment> target(int j) {
        return (length - j) % 2 == 0 ? back.fields() : solver.scratch();
    }

    /** Where the next step of the interval {@link #open} opened is written. */
    List<MemorySegment> nextTarget() {
        return target(done + 1);
    }

    /** Whether the next step ({@link #nextTarget}) completes the interval. */
    boolean publishesAfterThisStep() {
        return done + 1 == length;
    }

    /** The step written into {@code target} is complete: the next one reads it. */
    void stepped(List<MemorySegment> target) {
        source = target;
        done++;
    }

    /** The next {@code steps} steps of the open interval were computed in one go (temporal blocking). */
    void advanced(int steps) {
        done += steps;
        source = target(done);
    }

    /** Whether the open interval is complete, ready to publish. */
    boolean complete() {
        return done == length;
    }

    /** The back buffer's fields: where a publication's data must be. */
    List<MemorySegment> back() {
        return back.fields();
    }

    /** Whether an early publication must first copy the newest step from scratch into the back buffer. */
    boolean flushNeedsCopy() {
        return (length - done) % 2 != 0; // the newest step, done, went to scratch (see target)
    }

    /**
     * The steps since the last publication are thrown away: the next step reads the published frame
     * again (the back buffer stays begun, and is simply written over).
     */
    void discardUnpublished() {
        done = 0;
        length = 0;
        source = solver.publishedFields();
    }

    /** The back buffer was published: the next interval starts from it. */
    void published() {
        done = 0;
        length = 0;
        back = null;
        source = solver.publishedFields();
    }
}
