package dev.heatgrid.record;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** HDF5 tests skip, saying why, where libhdf5 is missing; CI (-Dheatgrid.require.hdf5=true) fails instead. */
public final class Hdf5Support {
    private Hdf5Support() {
    }

    public static void requireLibrary() {
        if (Hdf5Library.available()) {
            return;
        }
        String why;
        try {
            Hdf5Library.get();
            why = "";
        } catch (java.io.IOException e) {
            why = e.getMessage();
        }
        if (Boolean.getBoolean("heatgrid.require.hdf5")) {
            throw new AssertionError("heatgrid.require.hdf5 is set but " + why);
        }
        System.err.println("SKIPPED HDF5 test: " + why);
        assumeTrue(false, why);
    }

    /** Like {@link #requireLibrary()}, for tests of dimension scales, which need the high-level library too. */
    public static void requireScales() {
        requireLibrary();
        String why;
        try {
            why = Hdf5Library.get().scalesMissing();
        } catch (java.io.IOException e) {
            why = e.getMessage();
        }
        if (why == null) {
            return;
        }
        if (Boolean.getBoolean("heatgrid.require.hdf5")) {
            throw new AssertionError("heatgrid.require.hdf5 is set but " + why);
        }
        System.err.println("SKIPPED HDF5 dimension-scale test: " + why);
        assumeTrue(false, why);
    }
}
