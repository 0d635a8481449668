package dev.heatgrid.record;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVM: records every frame of a segment into HDF5, deliberately slow. Args: segment out.h5
 * busyMicrosPerFrame gateTimeoutMillis. Prints AT g every 100 frames, notes as NOTE lines, and
 * RESULT recorded=R lost=L last=G nanos=N end=E.
 */
public final class RecorderMain {
    public static void main(String[] args) throws Exception {
        Path segment = Path.of(args[0]);
        Path out = Path.of(args[1]);
        long busyNanos = TimeUnit.MICROSECONDS.toNanos(Long.parseLong(args[2]));
        Recorder.Settings settings = new Recorder.Settings(List.of(), 1, null, 1, 0, null, true,
                Duration.ofMillis(Long.parseLong(args[3])), false);
        Recorder recorder = new Recorder(segment, settings, run -> new Hdf5Recording(out,
                Hdf5Recording.companionXdmf(out), run, false), new Recorder.Events() {
            @Override
            public void note(String message) {
                System.out.println("NOTE " + message);
                System.out.flush();
            }

            @Override
            public void recorded(Recorder.Counts counts) {
                long until = System.nanoTime() + busyNanos;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait(); // a recorder busy with a slow disk
                }
                if (counts.recorded() == 1) {
                    System.out.println("FIRST " + counts.last());
                }
                if (counts.last() % 100 == 0) {
                    System.out.println("AT " + counts.last());
                    System.out.flush();
                }
            }
        });
        Recorder.Result result = recorder.run(() -> false);
        Recorder.Counts c = result.counts();
        System.out.println("RESULT recorded=" + c.recorded() + " lost=" + c.lost() + " last=" + c.last() + " nanos="
                + c.nanos() + " end=" + result.end());
    }
}
