package dev.heatgrid.record;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The companion XDMF (version 2) file that lets ParaView and VisIt open an HDF5 recording as a time
 * series: a temporal collection with one grid per frame, each a 2DRectMesh whose node coordinates are
 * the recording's {@code /x_edges} and {@code /y_edges} (named VX, VY: unlike ORIGIN_DXDY, whose
 * value order ParaView and VisIt read differently) and whose cell attributes are hyperslabs
 * {@code [frame, :, :]} of the field datasets. ParaView 5.11 shows it with its "XDMF Reader" (XDMF 2);
 * its XDMF 3 readers skip HyperSlab attributes (docs/RECORDING.md).
 */
final class XdmfIndex implements AutoCloseable {
    private final GrowingXmlFile file;
    private final String h5;
    private final RunDescription run;

    /** @param h5Name the HDF5 file's name as seen from the XDMF file's folder */
    XdmfIndex(Path path, String h5Name, RunDescription run) throws IOException {
        this.h5 = GrowingXmlFile.escape(h5Name);
        this.run = run;
        this.file = new GrowingXmlFile(path, "<?xml version=\"1.0\" ?>\n"
                + "<!DOCTYPE Xdmf SYSTEM \"Xdmf.dtd\" []>\n"
                + "<Xdmf Version=\"2.0\">\n"
                + "  <Domain>\n"
                + "    <Grid Name=\"" + GrowingXmlFile.escape(Path.of(run.segment()).getFileName().toString())
                + "\" GridType=\"Collection\" CollectionType=\"Temporal\">\n",
                "    </Grid>\n  </Domain>\n</Xdmf>\n");
    }

    /** Adds frame {@code index} (0-based row of the datasets), whose {@code frames} rows exist now. */
    void append(long index, RecordedFrame frame) throws IOException {
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
            xml.append("        <Attribute Name=\"").append(GrowingXmlFile.escape(field))
                    .append("\" AttributeType=\"Scalar\" Center=\"Cell\">\n")
                    .append("          <DataItem ItemType=\"HyperSlab\" Dimensions=\"").append(ny).append(' ').append(nx)
                    .append("\" Type=\"HyperSlab\">\n")
                    .append("            <DataItem Dimensions=\"3 3\" Format=\"XML\">").append(index).append(" 0 0 1 1 1 1 ")
                    .append(ny).append(' ').append(nx).append("</DataItem>\n")
                    .append("            <DataItem Dimensions=\"").append(rows).append(' ').append(ny).append(' ').append(nx)
                    .append("\" NumberType=\"Float\" Precision=\"8\" Format=\"HDF\">").append(h5).append(":/")
                    .append(GrowingXmlFile.escape(Hdf5Recording.datasetName(field))).append("</DataItem>\n")
                    .append("          </DataItem>\n")
                    .append("        </Attribute>\n");
        }
        xml.append("      </Grid>\n");
        file.append(xml.toString());
    }

    @Override
    public void close() throws IOException {
        file.close();
    }
}
