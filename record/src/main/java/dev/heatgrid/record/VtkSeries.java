package dev.heatgrid.record;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A recording for ParaView without HDF5: one {@link VtkImageFile} per frame and a ParaView data
 * collection (.pvd) listing them with their times. The .pvd is a complete document after every frame.
 */
public final class VtkSeries implements FrameSink {
    private final RunDescription run;
    private final Path frameDir;
    private final String prefix;
    private final GrowingXmlFile collection;
    private long frames;

    /**
     * @param pvd      the collection file
     * @param frameDir where the .vti files go (created if missing)
     * @param prefix   the start of every .vti file name
     */
    public VtkSeries(Path pvd, Path frameDir, String prefix, RunDescription run) throws IOException {
        this.run = run;
        this.frameDir = frameDir;
        this.prefix = prefix;
        Files.createDirectories(frameDir);
        this.collection = new GrowingXmlFile(pvd, "<?xml version=\"1.0\"?>\n"
                + "<VTKFile type=\"Collection\" version=\"0.1\" byte_order=\"LittleEndian\">\n"
                + "  <Collection>\n", "  </Collection>\n</VTKFile>\n");
    }

    /** The .vti file of a generation. */
    public Path frameFile(long generation) {
        return frameDir.resolve(String.format(Locale.ROOT, "%s_%010d.vti", prefix, generation));
    }

    @Override
    public void append(RecordedFrame frame) throws IOException {
        Path file = frameFile(frame.generation());
        VtkImageFile.write(file, run, frame);
        Path relative = collection.path().toAbsolutePath().getParent().relativize(file.toAbsolutePath());
        collection.append("    <DataSet timestep=\"" + frame.time() + "\" group=\"\" part=\"0\" file=\""
                + GrowingXmlFile.escape(relative.toString().replace('\\', '/')) + "\"/>\n");
        frames++;
    }

    @Override
    public long frames() {
        return frames;
    }

    @Override
    public void close() throws IOException {
        collection.close();
    }
}
