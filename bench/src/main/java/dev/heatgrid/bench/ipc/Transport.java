package dev.heatgrid.bench.ipc;

/** The ways a frame can travel from one process to another that the delivery benchmark compares. */
enum Transport {
    /** heatgrid's segment: the writer publishes, the reader takes a validated, checksummed copy. */
    SEGMENT("segment"),
    /** A named pipe (mkfifo), FileChannel on both ends. */
    PIPE("pipe"),
    /** A Unix domain stream socket ({@code UnixDomainSocketAddress}). */
    UNIX_SOCKET("unix socket"),
    /** TCP on 127.0.0.1. */
    TCP("tcp");

    final String label;

    Transport(String label) {
        this.label = label;
    }
}
