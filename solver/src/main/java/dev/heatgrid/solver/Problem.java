package dev.heatgrid.solver;

import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.FieldSpec;
import dev.heatgrid.solver.spi.GridGeometry;
import dev.heatgrid.solver.spi.Kernel;
import dev.heatgrid.solver.spi.Parameters;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Everything the next step depends on besides the frame itself: what the segment's header and the
 * newest frame header record, so that a resumed run continues bit for bit.
 */
record Problem(Kernel kernel, GridGeometry grid, Boundary boundary, Parameters params, double dt, Heater heater) {
    static final String DT = "dt";

    List<FieldSpec> fields() {
        return kernel.fields();
    }

    Problem withParams(Parameters newParams, double newDt) {
        return new Problem(kernel, grid, boundary, newParams, newDt, heater);
    }

    /** The parameters in effect as a frame header records them: the kernel's, then dt and the heater. */
    Map<String, String> paramsText() {
        var text = new LinkedHashMap<>(params.texts());
        text.put(DT, Double.toString(dt));
        text.put(Heater.KEY, heater.toString());
        return text;
    }

    /** Rebuilds the parameters in effect from a frame header's text. */
    static Problem fromText(Kernel kernel, GridGeometry grid, Boundary boundary, Map<String, String> text, Path file) {
        Parameters params = Parameters.defaults(kernel.parameters());
        for (var spec : kernel.parameters()) {
            String value = text.get(spec.name());
            if (value == null) {
                throw new IllegalArgumentException("segment " + file + " records no value for parameter '" + spec.name()
                        + "' of kernel " + kernel.name() + " (was it written by another version of the kernel?)");
            }
            params = params.withText(spec.name(), value);
        }
        String dtText = text.get(DT);
        if (dtText == null) {
            throw new IllegalArgumentException("segment " + file + " records no time step (dt) in its newest frame");
        }
        double dt = TimeStep.parse(dtText).value();
        Heater heater = Heater.parse(text.getOrDefault(Heater.KEY, "none"));
        return new Problem(kernel, grid, boundary, params, dt, heater);
    }

    /**
     * Refuses a dt the kernel's stability rule does not allow, with the rule and the limit in the
     * message; returns dt.
     */
    static double checkStable(Kernel kernel, GridGeometry grid, Parameters params, double dt) {
        double limit = kernel.stability().maxStableDt(grid, params);
        if (!(dt <= limit)) {
            throw new SetupException(SetupException.Setting.DT, String.format(Locale.ROOT,
                    "dt %s is unstable for kernel %s: the rule %s allows dt <= %s here (%s, dx=%s, dy=%s); "
                            + "dt auto would be %s",
                    dt, kernel.name(), kernel.stability().description(), limit, params.texts().toString()
                            .replaceAll("[{}]", ""), grid.dx(), grid.dy(), kernel.stability().autoDt(grid, params)));
        }
        return dt;
    }
}
