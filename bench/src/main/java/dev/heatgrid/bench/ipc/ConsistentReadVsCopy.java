package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.Frame;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * Issue 8, item 3, as an interleaved harness (the JMH version is {@code ConsistentReadBenchmark}):
 * per round, a plain {@link MemorySegment#copy} of the frame out of the mapping into a heap array,
 * then {@code FrameReader.latest} (copy, validate, verify the checksum of what it copied) into the same
 * kind of destination, then an optimistic copy without the checksum. Alternating round by round
 * gives all three the same moments of load; medians per operation.
 */
final class ConsistentReadVsCopy {
    /** Median microseconds per operation. */
    record Result(FrameShape shape, double copyMicros, double latestMicros, double unverifiedMicros) {
        /** Consistent read throughput as a fraction of the plain copy's. */
        double ratio() {
            return copyMicros / latestMicros;
        }

        double latestGigabytesPerSecond() {
            return shape.bytes() / (latestMicros * 1e3);
        }

        double copyGigabytesPerSecond() {
            return shape.bytes() / (copyMicros * 1e3);
        }
    }

    private ConsistentReadVsCopy() {
    }

    static Result run(PublishedFrame published, int rounds, int opsPerRound) throws IOException {
        var reader = published.reader;
        Frame frame = Frame.shapedFor(reader.layout());
        MemorySegment destination = MemorySegment.ofArray(frame.field(0));
        double[] copy = new double[rounds];
        double[] latest = new double[rounds];
        double[] unverified = new double[rounds];
        for (int round = -1; round < rounds; round++) { // round -1 warms up, unrecorded
            long t0 = System.nanoTime();
            for (int i = 0; i < opsPerRound; i++) {
                MemorySegment.copy(reader.field(reader.tryOptimisticRead(), 0), 0, destination, 0, destination.byteSize());
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < opsPerRound; i++) {
                reader.latest(frame);
            }
            long t2 = System.nanoTime();
            boolean valid = true;
            for (int i = 0; i < opsPerRound; i++) {
                long stamp = reader.tryOptimisticRead();
                MemorySegment.copy(reader.field(stamp, 0), 0, destination, 0, destination.byteSize());
                valid &= reader.validate(stamp);
            }
            long t3 = System.nanoTime();
            if (!valid) {
                throw new IllegalStateException("a frame nobody writes failed validation");
            }
            if (round >= 0) {
                copy[round] = (t1 - t0) / 1e3 / opsPerRound;
                latest[round] = (t2 - t1) / 1e3 / opsPerRound;
                unverified[round] = (t3 - t2) / 1e3 / opsPerRound;
            }
        }
        return new Result(published.shape, Medians.of(copy), Medians.of(latest), Medians.of(unverified));
    }
}
