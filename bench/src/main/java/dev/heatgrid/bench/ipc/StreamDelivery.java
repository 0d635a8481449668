package dev.heatgrid.bench.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;

/**
 * Receives frames over a pipe, Unix socket or TCP from a {@link StreamSenderMain} child into a
 * private direct buffer (read(2) copies straight into it), and counts whole frames per second.
 */
final class StreamDelivery {
    private StreamDelivery() {
    }

    static DeliveryResult run(Transport transport, SenderWork work, FrameShape shape, MeasureWindow window, Path dir)
            throws IOException, InterruptedException {
        try (StreamEndpoint endpoint = StreamEndpoint.listen(transport, dir);
             ChildJvm sender = ChildJvm.start(StreamSenderMain.class, transport.name(), endpoint.address(),
                     Long.toString(shape.bytes()), work.name());
             ReadableByteChannel channel = endpoint.accept()) {
            ByteBuffer frame = ByteBuffer.allocateDirect(Math.toIntExact(shape.bytes()));
            long warmUpStart = System.nanoTime();
            for (long warmUpFrames = 0; !window.warmUpOver(warmUpStart, warmUpFrames); warmUpFrames++) {
                receive(channel, frame);
            }
            long start = System.nanoTime();
            long end = start + window.measureNanos();
            long frames = 0;
            long now;
            do {
                receive(channel, frame);
                frames++;
                now = System.nanoTime();
            } while (now < end);
            return new DeliveryResult(transport, work, shape, frames, now - start);
        }
    }

    private static void receive(ReadableByteChannel channel, ByteBuffer frame) throws IOException {
        frame.clear();
        while (frame.hasRemaining()) {
            if (channel.read(frame) < 0) {
                throw new IOException("the sender hung up in the middle of a frame");
            }
        }
    }
}
