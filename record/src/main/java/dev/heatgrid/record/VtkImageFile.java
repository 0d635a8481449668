package dev.heatgrid.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One frame as a VTK XML ImageData file (.vti), following VTK's "VTK File Formats" document: version
 * 1.0 with UInt64 block headers, little-endian, every field a Float64 {@code CellData} array in raw
 * binary appended data. The image's cells are the grid's cells: extent {@code 0 nx 0 ny 0 0} (points),
 * origin at the grid's lower-left corner, spacing dx, dy. Time, step and generation travel as field
 * data ({@code TimeValue} is what ParaView reads as the time of a lone file).
 */
public final class VtkImageFile {
    /** Most values per write: the copy buffer is sized to the grid up to this, never larger. */
    private static final int CHUNK_DOUBLES = 1 << 17;

    private VtkImageFile() {
    }

    /**
     * Writes {@code frame} to {@code file}, under a temporary name first, so a crash never leaves a
     * half-written file under the real name.
     */
    public static void write(Path file, RunDescription run, RecordedFrame frame) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        long cells = (long) run.nx() * run.ny();
        long arrayBytes = cells * Double.BYTES;
        var xml = new StringBuilder(1024);
        String extent = "0 " + run.nx() + " 0 " + run.ny() + " 0 0";
        xml.append("<?xml version=\"1.0\"?>\n")
                .append("<VTKFile type=\"ImageData\" version=\"1.0\" byte_order=\"LittleEndian\" header_type=\"UInt64\">\n")
                .append("  <ImageData WholeExtent=\"").append(extent).append("\" Origin=\"").append(run.x0()).append(' ')
                .append(run.y0()).append(" 0\" Spacing=\"").append(run.dx()).append(' ').append(run.dy()).append(" 1\">\n")
                .append("    <FieldData>\n");
        scalar(xml, "Float64", "TimeValue", Double.toString(frame.time()));
        scalar(xml, "Int64", "step", Long.toString(frame.step()));
        scalar(xml, "Int64", "generation", Long.toString(frame.generation()));
        xml.append("    </FieldData>\n")
                .append("    <Piece Extent=\"").append(extent).append("\">\n")
                .append("      <PointData>\n      </PointData>\n")
                .append("      <CellData Scalars=\"").append(GrowingXmlFile.escape(run.fields().get(0))).append("\">\n");
        for (int f = 0; f < run.fields().size(); f++) {
            xml.append("        <DataArray type=\"Float64\" Name=\"").append(GrowingXmlFile.escape(run.fields().get(f)))
                    .append("\" NumberOfComponents=\"1\" format=\"appended\" offset=\"")
                    .append(f * (Long.BYTES + arrayBytes)).append("\"/>\n");
        }
        xml.append("      </CellData>\n    </Piece>\n  </ImageData>\n  <AppendedData encoding=\"raw\">\n   _");
        try {
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, ByteBuffer.wrap(xml.toString().getBytes(StandardCharsets.UTF_8)));
                ByteBuffer header = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                // A heap buffer no larger than one field: a small grid's frame costs a small array, not a
                // 1 MiB direct buffer that only a GC frees. (A double[] itself cannot be a ByteBuffer.)
                ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(cells, CHUNK_DOUBLES) * Double.BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN);
                for (double[] field : frame.fields()) {
                    writeFully(out, header.clear().putLong(0, arrayBytes)); // block header: the array's byte count
                    for (int done = 0; done < cells; ) {
                        int n = (int) Math.min(CHUNK_DOUBLES, cells - done);
                        buffer.clear().asDoubleBuffer().put(field, done, n);
                        writeFully(out, buffer.limit(n * Double.BYTES));
                        done += n;
                    }
                }
                writeFully(out, ByteBuffer.wrap("\n  </AppendedData>\n</VTKFile>\n".getBytes(StandardCharsets.UTF_8)));
            }
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(part); // a full disk leaves nothing behind, only the error
        }
    }

    private static void scalar(StringBuilder xml, String type, String name, String value) {
        xml.append("      <DataArray type=\"").append(type).append("\" Name=\"").append(name)
                .append("\" NumberOfTuples=\"1\" format=\"ascii\">").append(value).append("</DataArray>\n");
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }
}
