package dev.heatgrid.cli;

import dev.heatgrid.segment.SegmentDescriptor;
import dev.heatgrid.solver.SolverConfig;
import picocli.CommandLine.Option;

/** {@code --buffers N}, the same on every command that creates a segment. */
final class BuffersOption {
    @Option(names = "--buffers", paramLabel = "N", description = "Frame buffers in a new segment, "
            + SegmentDescriptor.MIN_BUFFERS + ".." + SegmentDescriptor.MAX_BUFFERS + " (default "
            + SolverConfig.DEFAULT_BUFFERS + "): a reader may take N-1 solver steps to copy a frame.")
    Integer buffers;

    /** The count given (checked by the solver's own rule: exits 2 when out of range), else the default. */
    int buffers() {
        if (buffers == null) {
            return SolverConfig.DEFAULT_BUFFERS;
        }
        SolverConfig.builder().buffers(buffers);
        return buffers;
    }

    boolean given() {
        return buffers != null;
    }

    /** For a command whose default depends on its other options (a tiled run needs more): used unless given. */
    void defaultTo(int n) {
        if (buffers == null) {
            buffers = n;
        }
    }
}
