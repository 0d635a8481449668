package dev.heatgrid.solver;

import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Parameters;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * On resume the segment defines the run; an option given again must say the same, or the user
 * believes something that is not true. Each check refuses a disagreement with one message naming
 * the option, its value and the segment's.
 */
final class ResumeCheck {
    private final Path path;
    private final SegmentSpec spec;

    ResumeCheck(Path path, SegmentSpec spec) {
        this.path = path;
        this.spec = spec;
    }

    private IllegalArgumentException disagree(String option, Object given, Object segment) {
        return new IllegalArgumentException(option + " " + given + " disagrees with segment " + path + ", which has "
                + segment + "; omit " + option + " to continue with the segment's value");
    }

    void kernel(String given) {
        if (given != null && !given.equals(spec.kernel())) {
            throw disagree("--kernel", given, spec.kernel());
        }
    }

    void size(GridSize given) {
        if (given != null && (given.nx() != spec.nx() || given.ny() != spec.ny())) {
            throw disagree("--size", given, spec.nx() + "x" + spec.ny());
        }
    }

    void spacing(double[] given) {
        if (given != null && (given[0] != spec.dx() || given[1] != spec.dy())) {
            throw disagree("spacing", Arrays.toString(given), "[" + spec.dx() + ", " + spec.dy() + "]");
        }
    }

    void boundary(Boundary given, Boundary segment) {
        if (given != null && !given.equals(segment)) {
            throw disagree("--boundary", given, segment);
        }
    }

    void params(Parameters merged, Parameters segment, Set<String> givenKeys) {
        for (String key : givenKeys) {
            double g = merged.real(key);
            double s = segment.real(key);
            if (Double.compare(g, s) != 0) {
                throw disagree("--param " + key, merged.spec(key).format(g), key + "=" + segment.spec(key).format(s));
            }
        }
    }

    void dt(TimeStep given, double segment, DoubleSupplier auto) {
        if (given == null) {
            return;
        }
        double g = given.isAuto() ? auto.getAsDouble() : given.value();
        if (Double.compare(g, segment) != 0) {
            throw disagree("--dt", given.isAuto() ? "auto (= " + g + ")" : given, "dt=" + segment);
        }
    }

    void heater(Heater given, Heater segment) {
        if (given != null && !given.equals(segment)) {
            throw disagree("--param heater", given, "heater=" + segment);
        }
    }

    void initial(InitialCondition given) {
        if (given != null) {
            throw new IllegalArgumentException("--init " + given + " cannot be combined with --resume: the run continues"
                    + " from the newest frame of " + path);
        }
    }

    void buffers(Integer given) {
        if (given != null && given != spec.buffers()) {
            throw disagree("--buffers", given, spec.buffers() + " buffers");
        }
    }

    void keep(Boolean given) {
        if (given != null && given != spec.keep()) {
            throw disagree("--keep", given, "keep=" + spec.keep());
        }
    }
}
