package dev.heatgrid.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The segment every segment command takes first, and the one option that goes with it: the same
 * name, rule and help text in {@code run}, {@code view}, {@code inspect}, {@code snapshot},
 * {@code steer} and every command added later ({@code @Mixin SegmentArgument segment;}).
 */
final class SegmentArgument {
    @Parameters(index = "0", paramLabel = "SEGMENT", converter = SegmentPathConverter.class,
            completionCandidates = CompletionCommand.SegmentCandidates.class,
            description = "Segment: a name (plate = /dev/shm/plate.hgrid; a trailing .hgrid is not added twice) or a"
                    + " path (anything with a '/').")
    Path path;

    @Option(names = "--allow-other-owner", description = "Accept a segment that belongs to another user.")
    boolean allowOtherOwner;

    Path path() {
        return path;
    }

    boolean allowOtherOwner() {
        return allowOtherOwner;
    }
}
