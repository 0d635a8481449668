package dev.heatgrid.solver;

import dev.heatgrid.segment.SegmentSpec;
import dev.heatgrid.solver.spi.Boundary;
import dev.heatgrid.solver.spi.Parameters;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * On resume the segment defines the run; a setting given again must say the same, or the user
 * believes something that is not true. Each check refuses a disagreement with one
 * {@link SetupException} naming the setting, its value and the segment's.
 */
final class ResumeCheck {
    private final Path path;
    private final SegmentSpec spec;

    ResumeCheck(Path path, SegmentSpec spec) {
        this.path = path;
        this.spec = spec;
    }

    private SetupException disagree(SetupException.Setting setting, String parameter, String what, Object given,
                                    Object segment) {
        return new SetupException(setting, parameter, what + " " + given + " disagrees with segment " + path
                + ", which has " + segment + "; a resumed run keeps the segment's " + what);
    }

    private SetupException disagree(SetupException.Setting setting, String what, Object given, Object segment) {
        return disagree(setting, null, what, given, segment);
    }

    void kernel(String given) {
        if (given != null && !given.equals(spec.kernel())) {
            throw disagree(SetupException.Setting.KERNEL, "kernel", given, spec.kernel());
        }
    }

    void size(GridSize given) {
        if (given != null && (given.nx() != spec.nx() || given.ny() != spec.ny())) {
            throw disagree(SetupException.Setting.SIZE, "size", given, spec.nx() + "x" + spec.ny());
        }
    }

    void spacing(double[] given) {
        if (given != null && (given[0] != spec.dx() || given[1] != spec.dy())) {
            throw disagree(SetupException.Setting.SPACING, "spacing", Arrays.toString(given),
                    "[" + spec.dx() + ", " + spec.dy() + "]");
        }
    }

    void boundary(Boundary given, Boundary segment) {
        if (given != null && !given.equals(segment)) {
            throw disagree(SetupException.Setting.BOUNDARY, "boundary", given, segment);
        }
    }

    void params(Parameters merged, Parameters segment, Set<String> givenKeys) {
        for (String key : givenKeys) {
            double g = merged.real(key);
            double s = segment.real(key);
            if (Double.compare(g, s) != 0) {
                throw disagree(SetupException.Setting.PARAMETER, key, "parameter " + key, merged.spec(key).format(g),
                        key + "=" + segment.spec(key).format(s));
            }
        }
    }

    void dt(TimeStep given, double segment, DoubleSupplier auto) {
        if (given == null) {
            return;
        }
        double g = given.isAuto() ? auto.getAsDouble() : given.value();
        if (Double.compare(g, segment) != 0) {
            throw disagree(SetupException.Setting.DT, "dt", given.isAuto() ? "auto (= " + g + ")" : given, "dt=" + segment);
        }
    }

    void heater(Heater given, Heater segment) {
        if (given != null && !given.equals(segment)) {
            throw disagree(SetupException.Setting.HEATER, "heater", given, "heater=" + segment);
        }
    }

    void initial(InitialCondition given) {
        if (given != null) {
            throw new SetupException(SetupException.Setting.INITIAL, "initial condition " + given + " cannot be given to a"
                    + " resumed run: it continues from the newest frame of " + path);
        }
    }

    void buffers(Integer given) {
        if (given != null && given != spec.buffers()) {
            throw disagree(SetupException.Setting.BUFFERS, "buffers", given, spec.buffers() + " buffers");
        }
    }

    void keep(Boolean given) {
        if (given != null && given != spec.keep()) {
            throw disagree(SetupException.Setting.KEEP, "keep", given, "keep=" + spec.keep());
        }
    }
}
