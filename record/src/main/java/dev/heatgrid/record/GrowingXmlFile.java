package dev.heatgrid.record;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An XML index (a ParaView .pvd collection, an XDMF temporal collection) that grows by one entry per
 * frame and is a complete document after every entry: each append writes the entry followed by the
 * closing tags over the old closing tags, in one write. A recorder killed at any moment leaves a file
 * that lists every frame appended before it, and appending costs the same at frame 10 and 10,000.
 */
final class GrowingXmlFile implements AutoCloseable {
    private final Path path;
    private final FileChannel channel;
    private final byte[] trailer;
    private long end;

    /** Creates (or replaces) the file with {@code head} and {@code trailer}. */
    GrowingXmlFile(Path path, String head, String trailer) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.trailer = trailer.getBytes(StandardCharsets.UTF_8);
        byte[] start = head.getBytes(StandardCharsets.UTF_8);
        writeAt(0, start, this.trailer);
        end = start.length;
    }

    Path path() {
        return path;
    }

    /** Adds an entry before the closing tags. */
    void append(String entry) throws IOException {
        byte[] bytes = entry.getBytes(StandardCharsets.UTF_8);
        writeAt(end, bytes, trailer);
        end += bytes.length;
    }

    private void writeAt(long position, byte[] body, byte[] tail) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(body.length + tail.length).put(body).put(tail).flip();
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Escapes text for an XML attribute value or element. */
    static String escape(String text) {
        var out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\n' -> out.append("&#10;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
