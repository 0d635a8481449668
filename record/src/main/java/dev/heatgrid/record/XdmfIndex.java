package dev.heatgrid.record;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The two companion XDMF files that let ParaView and VisIt open an HDF5 recording as a time series: a
 * temporal collection with one grid per frame, each a 2DRectMesh whose node coordinates are the
 * recording's {@code /x_edges} and {@code /y_edges} (named VX, VY: unlike ORIGIN_DXDY, whose value
 * order ParaView and VisIt read differently) and whose cell attributes are the slabs
 * {@code [frame, :, :]} of the field datasets. The files differ only in how they name a slab, because
 * no form is read by both XDMF libraries ParaView 5.11 carries (docs/RECORDING.md):
 * <ul>
 * <li>run.xdmf (XDMF 2): a HyperSlab DataItem, which the XDMF 2 library (ParaView's "XDMF Reader",
 * VisIt) reads, and the XDMF 3 library skips: it asks the item its number type before reading it and
 * gets none.</li>
 * <li>run.xdmf3 (XDMF 3): the slab in the HDF5 path ({@code run.h5:/u|start:stride:count:dims}), which
 * the XDMF 3 library reads and the XDMF 2 library takes for a dataset name. Only ParaView's XDMF 3
 * readers claim a .xdmf3 file, so ParaView opens it with one of them.</li>
 * </ul>
 */
final class XdmfIndex implements AutoCloseable {
    private static final String TRAILER = "    </Grid>\n  </Domain>\n</Xdmf>\n";

    private final GrowingXmlFile xdmf2;
    private final GrowingXmlFile xdmf3;
    private final String h5;
    private final RunDescription run;

    /**
     * @param path   the XDMF 2 file; the XDMF 3 file is {@link #xdmf3Beside} it
     * @param h5Name the HDF5 file's name as seen from the XDMF files' folder
     */
    XdmfIndex(Path path, String h5Name, RunDescription run) throws IOException {
        this.h5 = GrowingXmlFile.escape(h5Name);
        this.run = run;
        this.xdmf2 = new GrowingXmlFile(path, head("2.0"), TRAILER);
        GrowingXmlFile second;
        try {
            second = new GrowingXmlFile(xdmf3Beside(path), head("3.0"), TRAILER);
        } catch (IOException e) {
            xdmf2.close();
            throw e;
        }
        this.xdmf3 = second;
    }

    /** The XDMF 3 file beside an XDMF 2 file: run.xdmf -> run.xdmf3. */
    static Path xdmf3Beside(Path xdmf) {
        return xdmf.resolveSibling(xdmf.getFileName() + "3");
    }

    private String head(String version) {
        return "<?xml version=\"1.0\" ?>\n"
                + "<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n"
                + "<Xdmf Version=\"" + version + "\">\n"
                + "  <Domain>\n"
                + "    <Grid Name=\"" + GrowingXmlFile.escape(Path.of(run.segment()).getFileName().toString())
                + "\" GridType=\"Collection\" CollectionType=\"Temporal\">\n";
    }

    /** Adds frame {@code index} (0-based row of the datasets), whose {@code index + 1} rows exist now, to both files. */
    void append(long index, RecordedFrame frame) throws IOException {
        xdmf2.append(grid(index, frame, false));
        xdmf3.append(grid(index, frame, true));
    }

    private String grid(long index, RecordedFrame frame, boolean slabInPath) {
        int nx = run.nx();
        int ny = run.ny();
        long rows = index + 1;
        var xml = new StringBuilder(512 + 400 * run.fields().size());
        xml.append("      <Grid Name=\"generation ").append(frame.generation()).append("\" GridType=\"Uniform\">\n")
                .append("        <Time Value=\"").append(frame.time()).append("\"/>\n")
                .append("        <Topology TopologyType=\"2DRectMesh\" Dimensions=\"").append(ny + 1).append(' ')
                .append(nx + 1).append("\"/>\n")
                .append("        <Geometry GeometryType=\"VXVY\">\n")
                .append("          <DataItem Dimensions=\"").append(nx + 1)
                .append("\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">").append(h5).append(":/x_edges</DataItem>\n")
                .append("          <DataItem Dimensions=\"").append(ny + 1)
                .append("\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">").append(h5).append(":/y_edges</DataItem>\n")
                .append("        </Geometry>\n");
        for (String field : run.fields()) {
            String dataset = h5 + ":/" + GrowingXmlFile.escape(Hdf5Recording.datasetName(field));
            xml.append("        <Attribute Name=\"").append(GrowingXmlFile.escape(field))
                    .append("\" AttributeType=\"Scalar\" Center=\"Cell\">\n");
            if (slabInPath) {
                // start:stride:count:dimensions of the whole dataset, each as (time, y, x)
                xml.append("          <DataItem Dimensions=\"").append(ny).append(' ').append(nx)
                        .append("\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">").append(dataset).append('|')
                        .append(index).append(" 0 0:1 1 1:1 ").append(ny).append(' ').append(nx).append(':')
                        .append(rows).append(' ').append(ny).append(' ').append(nx).append("</DataItem>\n");
            } else {
                xml.append("          <DataItem ItemType=\"HyperSlab\" Dimensions=\"").append(ny).append(' ').append(nx)
                        .append("\" Type=\"HyperSlab\">\n")
                        .append("            <DataItem Dimensions=\"3 3\" Format=\"XML\">").append(index).append(" 0 0 1 1 1 1 ")
                        .append(ny).append(' ').append(nx).append("</DataItem>\n")
                        .append("            <DataItem Dimensions=\"").append(rows).append(' ').append(ny).append(' ').append(nx)
                        .append("\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">").append(dataset).append("</DataItem>\n")
                        .append("          </DataItem>\n");
            }
            xml.append("        </Attribute>\n");
        }
        xml.append("      </Grid>\n");
        return xml.toString();
    }

    @Override
    public void close() throws IOException {
        try {
            xdmf2.close();
        } finally {
            xdmf3.close();
        }
    }
}
