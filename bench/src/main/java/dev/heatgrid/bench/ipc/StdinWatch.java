package dev.heatgrid.bench.ipc;

import java.io.IOException;

/**
 * A child's way to learn that its parent wants it to stop: the parent closes the child's stdin.
 * The returned thread ends at that moment (or if the parent dies).
 */
final class StdinWatch {
    private StdinWatch() {
    }

    static Thread start() {
        return Thread.ofPlatform().daemon().name("stdin-watch").start(() -> {
            try {
                while (System.in.read() >= 0) {
                    // commands are not used: only the end of the stream matters
                }
            } catch (IOException e) {
                // the pipe broke: same meaning
            }
        });
    }
}
