package dev.heatgrid.cli;

import dev.heatgrid.segment.SegmentNames;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * SEGMENT arguments: a bare name lives in /dev/shm (NAME.hgrid, or NAME if it already ends in .hgrid);
 * anything with a '/' is a path. A directory is refused here, with its path, before any command opens it.
 */
final class SegmentPathConverter implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        try {
            Path path = SegmentNames.resolve(value);
            if (Files.isDirectory(path)) {
                throw new TypeConversionException(path + " is a directory, not a segment");
            }
            return path;
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
