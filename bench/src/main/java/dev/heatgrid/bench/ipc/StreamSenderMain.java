package dev.heatgrid.bench.ipc;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/**
 * The sending process of a byte-stream delivery: writes whole frames of one size as fast as the
 * transport takes them from one off-heap buffer, until the receiver hangs up. With
 * {@link SenderWork#COPY} each frame is the same buffer with its number in the first cell; with
 * {@link SenderWork#PRODUCE} each frame is computed into the buffer first.
 *
 * <p>Args: {@code TRANSPORT ADDRESS FRAME_BYTES COPY|PRODUCE}.
 */
public final class StreamSenderMain {
    private StreamSenderMain() {
    }

    public static void main(String[] args) throws IOException {
        Transport transport = Transport.valueOf(args[0]);
        String address = args[1];
        int frameBytes = Math.toIntExact(Long.parseLong(args[2]));
        SenderWork work = SenderWork.valueOf(args[3]);
        ByteBuffer frame = ByteBuffer.allocateDirect(frameBytes).order(ByteOrder.LITTLE_ENDIAN);
        FramePattern.fill(frame);
        try (WritableByteChannel channel = StreamEndpoint.connect(transport, address)) {
            for (long number = 1; ; number++) {
                frame.clear();
                if (work == SenderWork.PRODUCE) {
                    SenderWork.produce(MemorySegment.ofBuffer(frame), number);
                } else {
                    frame.putDouble(0, number);
                }
                while (frame.hasRemaining()) {
                    channel.write(frame);
                }
            }
        } catch (IOException hungUp) {
            // The receiver closed its end: the measurement is over.
        }
    }
}
