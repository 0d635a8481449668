package dev.heatgrid.bench.ipc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a byte-stream transport meets: a named pipe, a Unix socket path or a TCP port on 127.0.0.1.
 * The receiving side {@link #listen}s and {@link #accept}s, the sending child {@link #connect}s.
 */
final class StreamEndpoint implements AutoCloseable {
    /** The kernel caps SO_SNDBUF / SO_RCVBUF at net.core.wmem_max / rmem_max (4 MiB on this machine). */
    static final int SOCKET_BUFFER_BYTES = 4 << 20;

    private final Transport transport;
    private final Path path;
    private final ServerSocketChannel server;

    private StreamEndpoint(Transport transport, Path path, ServerSocketChannel server) {
        this.transport = transport;
        this.path = path;
        this.server = server;
    }

    /** Creates the meeting point in {@code dir} (fifo or socket file) or on a free loopback port. */
    static StreamEndpoint listen(Transport transport, Path dir) throws IOException, InterruptedException {
        switch (transport) {
            case PIPE -> {
                Path fifo = dir.resolve("frames.fifo");
                Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).inheritIO().start();
                if (mkfifo.waitFor() != 0) {
                    throw new IOException("mkfifo " + fifo + " failed");
                }
                return new StreamEndpoint(transport, fifo, null);
            }
            case UNIX_SOCKET -> {
                Path socket = dir.resolve("frames.sock");
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                server.bind(UnixDomainSocketAddress.of(socket));
                return new StreamEndpoint(transport, socket, server);
            }
            case TCP -> {
                ServerSocketChannel server = ServerSocketChannel.open();
                // Set before bind so the accepted socket's window scaling is negotiated for it.
                server.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                return new StreamEndpoint(transport, null, server);
            }
            default -> throw new IllegalArgumentException(transport + " is not a byte stream");
        }
    }

    /** What the sending child needs to find this endpoint: a path, or a port number. */
    String address() throws IOException {
        return transport == Transport.TCP ? Integer.toString(((InetSocketAddress) server.getLocalAddress()).getPort())
                : path.toString();
    }

    /** Waits for the sender and returns the receiving end. */
    ReadableByteChannel accept() throws IOException {
        if (transport == Transport.PIPE) {
            return FileChannel.open(path, StandardOpenOption.READ); // blocks until the writer opens it
        }
        SocketChannel channel = server.accept();
        channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
        return channel;
    }

    /** The sending child's end. */
    static WritableByteChannel connect(Transport transport, String address) throws IOException {
        if (transport == Transport.PIPE) {
            return FileChannel.open(Path.of(address), StandardOpenOption.WRITE);
        }
        SocketAddress remote = transport == Transport.TCP
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(address))
                : UnixDomainSocketAddress.of(address);
        SocketChannel channel = SocketChannel.open(transport == Transport.TCP
                ? StandardProtocolFamily.INET : StandardProtocolFamily.UNIX);
        channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
        if (transport == Transport.TCP) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        channel.connect(remote);
        return channel;
    }

    @Override
    public void close() throws IOException {
        if (server != null) {
            server.close();
        }
        if (path != null) {
            Files.deleteIfExists(path);
        }
    }
}
