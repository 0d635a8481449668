package dev.heatgrid.record;

import java.nio.file.Path;
import java.util.List;

/**
 * Child JVM: writes a two-frame recording of a 5 x 3 grid (args: out.h5) and prints
 * {@code SCALES MISSING <why>} or {@code SCALES WRITTEN}: how a JVM started without the HDF5
 * high-level library records.
 */
public final class TwoFrameRecordingMain {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        try (Hdf5Recording recording = new Hdf5Recording(out, Hdf5Recording.companionXdmf(out),
                Hdf5RecordingTest.run(5, 3, List.of("T")), false)) {
            recording.append(Hdf5RecordingTest.frame(1, 5, 3, 1));
            recording.append(Hdf5RecordingTest.frame(2, 5, 3, 1));
        }
        String missing = Hdf5Recording.scalesMissing();
        System.out.println(missing == null ? "SCALES WRITTEN" : "SCALES MISSING " + missing);
    }
}
