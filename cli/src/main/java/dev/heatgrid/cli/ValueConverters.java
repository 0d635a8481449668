package dev.heatgrid.cli;

import dev.heatgrid.solver.GridSize;
import dev.heatgrid.solver.Heater;
import dev.heatgrid.solver.InitialCondition;
import dev.heatgrid.solver.TimeStep;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.viewer.Cadence;
import dev.heatgrid.viewer.ColorMap;
import dev.heatgrid.viewer.ImageSize;
import dev.heatgrid.viewer.Reduction;
import dev.heatgrid.viewer.ValueRange;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.TypeConversionException;

/**
 * Teaches picocli the project's value types, each through the parser its module owns, so a bad
 * value reads "Invalid value for option '--range': range '5:1': MIN must be less than MAX" and exits 2.
 */
final class ValueConverters {
    private ValueConverters() {
    }

    static void register(CommandLine commandLine) {
        add(commandLine, Duration.class, new DurationConverter()::convert);
        add(commandLine, ColorMap.class, ColorMap::parse);
        add(commandLine, ValueRange.class, ValueRange::parse);
        add(commandLine, Reduction.class, Reduction::parse);
        add(commandLine, Cadence.class, Cadence::parse);
        add(commandLine, ImageSize.class, ImageSize::parse);
        add(commandLine, GridSize.class, GridSize::parse);
        add(commandLine, TimeStep.class, TimeStep::parse);
        add(commandLine, Boundary.class, Boundary::parse);
        add(commandLine, InitialCondition.class, InitialCondition::parse);
        add(commandLine, Heater.class, Heater::parse);
    }

    private static <T> void add(CommandLine commandLine, Class<T> type, Function<String, T> parser) {
        commandLine.registerConverter(type, text -> {
            try {
                return parser.apply(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        });
    }
}
