package dev.heatgrid.cli;

import dev.heatgrid.segment.SegmentNames;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** SEGMENT arguments: a bare name lives in /dev/shm (NAME.hgrid); anything with a '/' is a path. */
final class SegmentPathConverter implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        try {
            return SegmentNames.resolve(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
