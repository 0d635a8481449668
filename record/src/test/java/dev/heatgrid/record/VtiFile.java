package dev.heatgrid.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A .vti file read the way VTK's "VTK File Formats" document describes the XML ImageData format, checking
 * each rule on the way: the XML part up to {@code <AppendedData encoding="raw">}, then '_' and, at each
 * array's offset counted from the byte after it, a UInt64 byte count (header_type) and the raw values.
 */
final class VtiFile {
    final Element imageData;
    final Element piece;
    final Map<String, double[]> cellArrays = new LinkedHashMap<>();
    final Map<String, String> fieldData = new LinkedHashMap<>();

    private VtiFile(Element imageData, Element piece) {
        this.imageData = imageData;
        this.piece = piece;
    }

    static VtiFile read(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.ISO_8859_1); // byte offsets = char offsets
        int appended = text.indexOf("<AppendedData encoding=\"raw\">");
        assertTrue(appended > 0, "no raw AppendedData section");
        int underscore = text.indexOf('_', appended);
        assertTrue(text.substring(appended + "<AppendedData encoding=\"raw\">".length(), underscore).isBlank(),
                "only white space may precede the '_' that starts the appended data");
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(
                (text.substring(0, appended) + "</VTKFile>").getBytes(StandardCharsets.ISO_8859_1)));
        Element root = xml.getDocumentElement();
        assertEquals("VTKFile", root.getTagName());
        assertEquals("ImageData", root.getAttribute("type"));
        assertEquals("1.0", root.getAttribute("version"));
        assertEquals("LittleEndian", root.getAttribute("byte_order"));
        assertEquals("UInt64", root.getAttribute("header_type"));
        Element image = only(root, "ImageData");
        Element piece = only(image, "Piece");
        assertEquals(image.getAttribute("WholeExtent"), piece.getAttribute("Extent"), "one piece covers the image");
        int[] extent = ints(image.getAttribute("WholeExtent"));
        assertEquals(6, extent.length);
        assertEquals(3, image.getAttribute("Origin").trim().split("\\s+").length);
        assertEquals(3, image.getAttribute("Spacing").trim().split("\\s+").length);
        long cells = (long) (extent[1] - extent[0]) * (extent[3] - extent[2]) * Math.max(1, extent[5] - extent[4]);
        VtiFile vti = new VtiFile(image, piece);
        ByteBuffer data = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int base = underscore + 1;
        NodeList arrays = only(piece, "CellData").getElementsByTagName("DataArray");
        for (int i = 0; i < arrays.getLength(); i++) {
            Element array = (Element) arrays.item(i);
            assertEquals("Float64", array.getAttribute("type"));
            assertEquals("appended", array.getAttribute("format"));
            long offset = Long.parseLong(array.getAttribute("offset"));
            long count = data.getLong((int) (base + offset));
            assertEquals(cells * Double.BYTES, count, "the block header holds the array's byte count");
            double[] values = new double[(int) cells];
            data.position((int) (base + offset + Long.BYTES));
            data.asDoubleBuffer().get(values);
            vti.cellArrays.put(array.getAttribute("Name"), values);
        }
        assertTrue(text.substring(base).endsWith("</AppendedData>\n</VTKFile>\n"), "the file ends after the data");
        NodeList fields = only(image, "FieldData").getElementsByTagName("DataArray");
        for (int i = 0; i < fields.getLength(); i++) {
            Element array = (Element) fields.item(i);
            assertEquals("ascii", array.getAttribute("format"));
            vti.fieldData.put(array.getAttribute("Name"), array.getTextContent().trim());
        }
        return vti;
    }

    List<String> arrayNames() {
        return new ArrayList<>(cellArrays.keySet());
    }

    double[] array(String name) {
        return cellArrays.get(name);
    }

    private static Element only(Element parent, String tag) throws IOException {
        NodeList list = parent.getElementsByTagName(tag);
        if (list.getLength() != 1) {
            throw new IOException("expected one <" + tag + "> in <" + parent.getTagName() + ">, found " + list.getLength());
        }
        return (Element) list.item(0);
    }

    private static int[] ints(String text) {
        String[] parts = text.trim().split("\\s+");
        int[] values = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = Integer.parseInt(parts[i]);
        }
        return values;
    }
}
