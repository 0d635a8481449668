package dev.heatgrid.bench.ipc;

import dev.heatgrid.segment.FrameReader;

/** How a reader waits for the next generation in the notification benchmark. */
enum WaitMode {
    /** Busy-poll the generation word, never sleep: lowest latency, one core per waiter. */
    SPIN("spin") {
        @Override
        void configure(FrameReader reader) {
            reader.setSpinNanos(Long.MAX_VALUE);
        }
    },
    /** Sleep in FUTEX_WAIT at once and be woken by the writer's FUTEX_WAKE: no CPU while waiting. */
    FUTEX("futex") {
        @Override
        void configure(FrameReader reader) {
            reader.setSpinNanos(0);
        }
    };

    final String label;

    WaitMode(String label) {
        this.label = label;
    }

    abstract void configure(FrameReader reader);
}
